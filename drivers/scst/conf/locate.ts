/**
 * Points a finding about the YAML an scst.conf import would write back at the scst.conf line it
 * came from: the YAML path (`scst.devices.vm1.filename`) is walked down the conf's sections
 * (`HANDLER`/`DEVICE vm1`, then the `filename` line), keeping the deepest entry that matches.
 */
import type { Diagnostic } from '../../../reconciler/load/types.js';
import type { ConfEntry } from './parse.js';

/** `a.b["c.d"].e` -> [a, b, c.d, e]. */
export function pathSegments(path: string): string[] {
  const out: string[] = [];
  for (const m of path.matchAll(/\["((?:[^"\\]|\\.)*)"\]|([^.[\]]+)/g)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return out;
}

const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** whether an entry is the one a path segment names: a section by its name, an attribute by its key. */
function names(e: ConfEntry, seg: string): boolean {
  const [k, v] = e.tokens;
  if (e.children !== undefined || /^[A-Z_]+$/.test(k!)) return v === seg || (k === 'HANDLER' ? false : k === seg);
  return k === seg || k === snake(seg);
}

/** the line of the deepest conf entry the YAML path leads to; undefined when none matches. */
export function confLine(entries: readonly ConfEntry[], path: string): number | undefined {
  let level: readonly ConfEntry[] = entries;
  let line: number | undefined;
  let prev = '';
  for (const seg of pathSegments(path)) {
    // `initiators[n]` is the n-th INITIATOR line of its GROUP
    const listed = /^\d+$/.test(seg) && prev === 'initiators' ? level.filter((e) => e.tokens[0] === 'INITIATOR')[Number(seg)] : undefined;
    prev = seg;
    // devices sit one level down, under their HANDLER
    const direct = listed ?? level.find((e) => names(e, seg));
    const nested = direct ? undefined : level.flatMap((e) => (e.tokens[0] === 'HANDLER' ? (e.children ?? []) : [])).find((e) => names(e, seg));
    const hit = direct ?? nested;
    if (!hit) continue;
    line = hit.line;
    level = hit.children ?? [];
  }
  return line;
}

/** the diagnostic re-pointed at `file:line` of the scst.conf (column 1), its YAML path kept. */
export function locateInConf(d: Diagnostic, entries: readonly ConfEntry[], file: string): Diagnostic {
  const line = confLine(entries, d.path);
  return { ...d, file, line: line ?? 0, col: line === undefined ? 0 : 1 };
}
