/**
 * Merges the files of a configuration directory into one document. Sections and object maps
 * merge key by key; an object (a device, a target, a node...) defined in two places is an error
 * naming both; `alerts`, `policy.approvals` and `policy.drift.ignore` concatenate.
 */
import type { ParsedFile } from './parse.js';
import { PathIndex, formatPath } from './sources.js';
import type { PathSeg } from './sources.js';
import type { Diagnostic } from './types.js';

/** Paths (with `*` for any one key) whose maps are containers of objects, so they merge. */
const CONTAINERS = [
  '', 'nodes', 'secrets', 'storage', 'storage.*', 'scst', 'scst.devices', 'scst.drivers', 'scst.targets',
  'scst.targets.*', 'scst.alua', 'scst.alua.deviceGroups', 'policy', 'policy.drift',
];
export const LISTS = ['alerts', 'policy.approvals', 'policy.drift.ignore'];

export const matches = (patterns: string[], path: PathSeg[]): boolean =>
  patterns.some((p) => {
    const segs = p === '' ? [] : p.split('.');
    return segs.length === path.length && segs.every((s, i) => s === '*' || s === String(path[i]));
  });

const isPlainMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export interface Merged {
  value: Record<string, unknown>;
  index: PathIndex;
  diagnostics: Diagnostic[];
}

/** Merges parsed files in order; files whose root is not a mapping are reported and skipped. */
export function mergeFiles(files: ParsedFile[]): Merged {
  const value: Record<string, unknown> = {};
  const diagnostics: Diagnostic[] = [];
  const single = files.length === 1 && isPlainMap(files[0].value);
  if (single) return { value: files[0].value as Record<string, unknown>, index: files[0].index, diagnostics };
  const index = new PathIndex();
  for (const f of files) {
    if (f.value === null || f.value === undefined) continue;
    if (!isPlainMap(f.value)) {
      const pos = f.index.locate([], 'value');
      diagnostics.push({
        ...pos, path: '', code: 'SCHEMA_TYPE', severity: 'error',
        message: 'the document must be a mapping (version:, scst:, ...), not a list or a scalar',
        hint: 'start the file with `version: 1` and the sections as keys',
      });
      continue;
    }
    const offsets: { path: PathSeg[]; offset: number }[] = [];
    mergeMap({ into: value, from: f.value, path: [], file: f, first: index, offsets, diagnostics });
    reindex(f, offsets, index);
  }
  // no file was a mapping: what the document lacks is reported at the start of the first file
  if (files.length > 0 && !index.exact([])) index.add([], { file: files[0].file, value: files[0].index.locate([], 'value') });
  return { value, index, diagnostics };
}

interface MergeCtx {
  into: Record<string, unknown>;
  from: Record<string, unknown>;
  path: PathSeg[];
  file: ParsedFile;
  /** index of what is merged so far (to name the first definition). */
  first: PathIndex;
  offsets: { path: PathSeg[]; offset: number }[];
  diagnostics: Diagnostic[];
}

function mergeMap(ctx: MergeCtx): void {
  for (const [k, v] of Object.entries(ctx.from)) {
    const path = [...ctx.path, k];
    if (!(k in ctx.into)) {
      ctx.into[k] = v;
      continue;
    }
    const old = ctx.into[k];
    if (matches(CONTAINERS, path) && isPlainMap(old) && isPlainMap(v)) {
      mergeMap({ ...ctx, into: old, from: v, path });
    } else if (matches(LISTS, path) && Array.isArray(old) && Array.isArray(v)) {
      ctx.offsets.push({ path, offset: old.length });
      old.push(...v);
    } else if (path.length === 1 && k === 'version' && old === v) {
      // every file of a directory may repeat `version: 1`
    } else {
      const was = ctx.first.locate(path);
      ctx.diagnostics.push({
        ...ctx.file.index.locate(path), path: formatPath(path), code: 'DUPLICATE_OBJECT', severity: 'error',
        message: `${formatPath(path)} is defined twice: here and in ${was.file}:${was.line}:${was.col}`,
        hint: 'define each object in one file only; remove one of the two definitions',
      });
    }
  }
}

/** Adds a file's positions to the merged index, shifting list items appended after others. */
function reindex(f: ParsedFile, offsets: { path: PathSeg[]; offset: number }[], index: PathIndex): void {
  for (const [path, entry] of f.index.paths()) {
    let p = path;
    for (const o of offsets) {
      const n = o.path.length;
      if (p.length > n && o.path.every((s, i) => String(s) === String(p[i])) && typeof p[n] === 'number') {
        p = [...p.slice(0, n), (p[n] as number) + o.offset, ...p.slice(n + 1)];
      }
    }
    index.add(p, entry);
  }
}
