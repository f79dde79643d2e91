/**
 * Layers of a fleet view (reconciler/fleet): files shared by every node, then a group's, then a
 * node's. Inside one layer the usual merge rules hold (an object defined twice is an error);
 * across layers a higher one overrides: maps merge key by key, any other value is replaced, the
 * lists that concatenate within a layer (`alerts`, approvals, drift ignores) concatenate, and
 * `null` removes what a lower layer set (a node drops a device its group exports).
 */
import { LISTS, matches, mergeFiles, type Merged } from './merge.js';
import type { ParsedFile } from './parse.js';
import { PathIndex, type PathSeg } from './sources.js';

const isPlainMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Merges each layer's files, then lays the layers over each other, lowest first. */
export function mergeLayers(layers: ParsedFile[][]): Merged {
  const merged = layers.map((files) => mergeFiles(files));
  const value: Record<string, unknown> = {};
  /** list items that a higher layer appended after a lower layer's, per layer: positions shift. */
  const shifts: { path: PathSeg[]; offset: number }[][] = merged.map(() => []);
  merged.forEach((m, i) => overlay({ into: value, from: m.value, path: [], shifts: shifts[i] }));
  // positions: the highest layer that wrote a path names it (PathIndex keeps the first writer)
  const index = new PathIndex();
  for (let i = merged.length - 1; i >= 0; i--) {
    for (const [path, entry] of merged[i].index.paths()) index.add(shifted(path, shifts[i]), entry);
  }
  return { value, index, diagnostics: merged.flatMap((m) => m.diagnostics) };
}

function overlay(o: { into: Record<string, unknown>; from: Record<string, unknown>; path: PathSeg[]; shifts: { path: PathSeg[]; offset: number }[] }): void {
  for (const [k, v] of Object.entries(o.from)) {
    const path = [...o.path, k];
    const old = o.into[k];
    if (v === null) delete o.into[k];
    else if (isPlainMap(old) && isPlainMap(v)) overlay({ ...o, into: old, from: v, path });
    else if (matches(LISTS, path) && Array.isArray(old) && Array.isArray(v)) {
      o.shifts.push({ path, offset: old.length });
      o.into[k] = [...old, ...v];
    } else o.into[k] = isPlainMap(v) ? structuredClone(v) : v;
  }
}

function shifted(path: readonly PathSeg[], shifts: { path: PathSeg[]; offset: number }[]): PathSeg[] {
  let p = [...path];
  for (const s of shifts) {
    const n = s.path.length;
    if (p.length > n && s.path.every((seg, i) => String(seg) === String(p[i])) && typeof p[n] === 'number') {
      p = [...p.slice(0, n), (p[n] as number) + s.offset, ...p.slice(n + 1)];
    }
  }
  return p;
}
