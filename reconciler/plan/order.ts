import type { Change, Stage } from '../core/change.js';
import type { Snapshot } from '../core/resource.js';
import { dependentsIndex } from './cascade.js';
import { Heap } from './heap.js';
import { PlanCycleError } from './types.js';

/** Tie-break order of stages (DESIGN §3). */
export const STAGES: readonly Stage[] = [
  'teardown-bindings',
  'teardown-objects',
  'create-objects',
  'attributes',
  'bindings',
  'enable',
];

const stageRank = new Map(STAGES.map((s, i) => [s, i]));

/**
 * The edges of the change graph, as `waitsFor[address] = addresses`:
 * - a create/update/replace waits for the changes of its DESIRED deps (unless those are deletes);
 * - a delete of B waits for every change to a live object whose OBSERVED deps include B; a
 *   replace of B waits for those that move off B (their desired deps no longer name B).
 */
export function changeEdges(changes: readonly Change[], observed: Snapshot): Map<string, Set<string>> {
  const byAddr = new Map(changes.map((c) => [c.address, c]));
  const waits = new Map(changes.map((c) => [c.address, new Set<string>()]));
  for (const c of changes) {
    for (const d of c.after?.deps ?? []) {
      const dc = byAddr.get(d);
      if (dc && dc.action !== 'delete' && d !== c.address) waits.get(c.address)!.add(d);
    }
  }
  const rev = dependentsIndex(observed);
  for (const b of changes) {
    if (b.action !== 'delete' && b.action !== 'replace') continue;
    for (const r of rev.get(b.address) ?? []) {
      const rc = byAddr.get(r);
      if (!rc || r === b.address || rc.action === 'create') continue;
      if (b.action === 'replace' && rc.after?.deps.includes(b.address)) continue;
      waits.get(b.address)!.add(r);
    }
  }
  return waits;
}

/**
 * Topological order of the changes (Kahn), ties broken by stage then address, so the same input
 * always gives the same order. Each change's `deps` is set to the addresses it waits for (the
 * changes are the planner's own fresh objects).
 */
export function orderChanges(changes: readonly Change[], observed: Snapshot): Change[] {
  const waits = changeEdges(changes, observed);
  const index = new Map(changes.map((c, i) => [c.address, i]));
  const rank = changes.map((c) => stageRank.get(c.stage) ?? 99);
  const pending = changes.map((c) => waits.get(c.address)!.size);
  const next: number[][] = changes.map(() => []);
  changes.forEach((c, i) => {
    for (const d of waits.get(c.address)!) next[index.get(d)!].push(i);
  });
  const before = (a: number, b: number): boolean =>
    rank[a] !== rank[b] ? rank[a] < rank[b] : changes[a].address < changes[b].address;
  const ready = new Heap<number>(before);
  pending.forEach((n, i) => n === 0 && ready.push(i));
  const out: Change[] = [];
  while (ready.size > 0) {
    const i = ready.pop()!;
    const c = changes[i];
    c.deps = [...waits.get(c.address)!].sort();
    const follows = c.after?.follows?.filter((d) => waits.get(c.address)!.has(d)).sort();
    if (follows?.length) c.follows = follows;
    out.push(c);
    for (const n of next[i]) if (--pending[n] === 0) ready.push(n);
  }
  if (out.length < changes.length) {
    throw new PlanCycleError(changes.filter((_, i) => pending[i] > 0).map((c) => c.address).sort());
  }
  return out;
}
