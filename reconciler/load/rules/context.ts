/**
 * What every rule gets: the merged document (shape NOT guaranteed: rules also run when the schema
 * found errors, so each reads defensively) and a `report` that locates a finding in the YAML.
 */
import { formatPath } from '../sources.js';
import type { PathIndex, PathSeg } from '../sources.js';
import type { Diagnostic, DiagnosticCode, Severity } from '../types.js';

export interface Finding {
  path: PathSeg[];
  code: DiagnosticCode;
  message: string;
  hint?: string;
  /** point at the key (default) or at the value. */
  at?: 'key' | 'value';
  severity?: Severity;
}

export interface RuleCtx {
  data: Record<string, unknown>;
  report(f: Finding): void;
}

export type Rule = (ctx: RuleCtx) => void;

export function makeCtx(data: Record<string, unknown>, index: PathIndex, out: Diagnostic[]): RuleCtx {
  return {
    data,
    report: (f) =>
      out.push({
        ...index.locate(f.path, f.at ?? 'key'),
        path: formatPath(f.path),
        code: f.code,
        severity: f.severity ?? 'error',
        message: f.message,
        hint: f.hint,
      }),
  };
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The value at `path` when every step is a mapping (undefined otherwise). */
export function at(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const p of path) cur = isObj(cur) ? cur[p] : undefined;
  return cur;
}
/** Entries of a mapping whose values are mappings; anything else yields nothing. */
export const objEntries = (v: unknown): [string, Obj][] =>
  isObj(v) ? (Object.entries(v).filter(([, x]) => isObj(x)) as [string, Obj][]) : [];
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
export const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
