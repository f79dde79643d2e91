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

const before = (a: Change, b: Change): boolean => {
  const sa = stageRank.get(a.stage) ?? 99;
  const sb = stageRank.get(b.stage) ?? 99;
  return sa !== sb ? sa < sb : a.address < b.address;
};

/**
 * Topological order of the changes (Kahn), ties broken by stage then address, so the same input
 * always gives the same order. Each change's `deps` is set to the addresses it waits for.
 */
export function orderChanges(changes: readonly Change[], observed: Snapshot): Change[] {
  const waits = changeEdges(changes, observed);
  const byAddr = new Map(changes.map((c) => [c.address, c]));
  const pending = new Map<string, number>();
  const next = new Map<string, string[]>();
  for (const [addr, deps] of waits) {
    pending.set(addr, deps.size);
    for (const d of deps) {
      const list = next.get(d);
      if (list) list.push(addr);
      else next.set(d, [addr]);
    }
  }
  const ready = new Heap<Change>(before);
  for (const c of changes) if (pending.get(c.address) === 0) ready.push(c);
  const out: Change[] = [];
  while (ready.size > 0) {
    const c = ready.pop()!;
    out.push({ ...c, deps: [...waits.get(c.address)!].sort() });
    for (const n of next.get(c.address) ?? []) {
      const left = pending.get(n)! - 1;
      pending.set(n, left);
      if (left === 0) ready.push(byAddr.get(n)!);
    }
  }
  if (out.length < changes.length) {
    const stuck = changes.filter((c) => (pending.get(c.address) ?? 0) > 0).map((c) => c.address);
    throw new PlanCycleError(stuck.sort());
  }
  return out;
}
