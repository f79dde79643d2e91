import type { Resource, Snapshot } from '../core/resource.js';
import type { Driver } from '../core/driver.js';
import type { DraftChange } from './diff.js';
import { createFields } from './diff.js';

/** Live objects that depend on each address (reverse of `deps`), from the observed snapshot. */
export function dependentsIndex(observed: Snapshot): Map<string, string[]> {
  const rev = new Map<string, string[]>();
  for (const r of observed.resources.values()) {
    for (const d of r.deps) {
      const list = rev.get(d);
      if (list) list.push(r.address);
      else rev.set(d, [r.address]);
    }
  }
  return rev;
}

/** Addresses in a sorted list that start with `prefix` (binary search, then a scan). */
function withPrefix(sorted: string[], prefix: string): string[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < sorted.length && sorted[i].startsWith(prefix); i++) out.push(sorted[i]);
  return out;
}

/** Candidates a removal may take with it: transitive live dependents and addresses below it. */
function candidates(root: string, rev: Map<string, string[]>, sorted: string[]): string[] {
  const seen = new Set<string>();
  const stack = [...(rev.get(root) ?? []), ...withPrefix(sorted, `${root}/`)];
  while (stack.length > 0) {
    const a = stack.pop()!;
    if (seen.has(a) || a === root) continue;
    seen.add(a);
    for (const d of rev.get(a) ?? []) stack.push(d);
  }
  return [...seen].sort();
}

/**
 * Applies the kernel's cascades to the drafts: when a live object is deleted or replaced and its
 * driver says the kernel removes another live object with it, that object gets no delete of its
 * own, and if it is desired it is created again after (even when it was unchanged). Only live
 * objects that depend on the removed one (transitively) or sit below its address are asked about.
 */
export function applyCascades(o: {
  drafts: DraftChange[];
  observed: Snapshot;
  driverOf: (address: string, name: string) => Driver;
}): DraftChange[] {
  if (!o.drafts.some((d) => d.action === 'delete' || d.action === 'replace')) return o.drafts;
  const byAddr = new Map(o.drafts.map((d) => [d.address, d]));
  const rev = dependentsIndex(o.observed);
  const sorted = [...o.observed.resources.keys()].sort();
  const queue = o.drafts.filter((d) => d.action === 'delete' || d.action === 'replace').map((d) => d.before!);
  const cascaded = new Set<string>();
  const dropped = new Set<string>();
  while (queue.length > 0) {
    const root = queue.shift()!;
    const driver = o.driverOf(root.address, root.driver);
    if (!driver.cascades) continue;
    const action = cascaded.has(root.address) ? 'cascade' : byAddr.get(root.address)?.action;
    const verb = action === 'replace' ? 're-created' : 'removed';
    const isDelete = action === 'delete';
    for (const addr of candidates(root.address, rev, sorted)) {
      if (cascaded.has(addr)) continue;
      const other = o.observed.resources.get(addr)!;
      if ((isDelete && movesOff(byAddr.get(addr), root.address)) || !driver.cascades(root, other)) continue;
      cascaded.add(addr);
      queue.push(other);
      cascadeInto({ byAddr, dropped, other, reason: `re-created because ${root.address} is ${verb}` });
    }
  }
  return o.drafts.filter((d) => !dropped.has(d.address)).map((d) => byAddr.get(d.address)!);
}

/**
 * A change that leaves a deleted `root` (its desired deps no longer name it) runs before the
 * delete, so no cascade hits it. A replaced root does not wait for such moves (that could make a
 * cycle when two objects swap dependents): the dependent is taken down and created again.
 */
const movesOff = (d: DraftChange | undefined, root: string): boolean =>
  d?.after !== undefined && d.action !== 'noop' && !d.after.deps.includes(root);

/** Rewrites the draft of a cascaded object: re-create it when desired, otherwise drop its delete. */
function cascadeInto(o: { byAddr: Map<string, DraftChange>; dropped: Set<string>; other: Resource; reason: string }): void {
  const d = o.byAddr.get(o.other.address);
  if (!d) return;
  if (d.after) {
    o.byAddr.set(d.address, { ...d, before: undefined, action: 'create', fields: createFields(d.after), reason: o.reason });
  } else {
    o.dropped.add(d.address); // the kernel deletes it with its parent
  }
}
