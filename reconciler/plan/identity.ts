/**
 * Identity moves: an object that leaves one address and appears at another in the same plan
 * (an SCST device mapped at LUN 3 that the file now maps at LUN 5 of the same set). Each half
 * alone is an ordinary delete or create; only the planner sees both, so it marks every change of
 * the move with an `identity` impact and links them, so that the guards block and approve the
 * move as a whole (blocking only one half would let the other run and hide the move next time).
 */
import type { Change } from '../core/change.js';
import type { Driver, IdentityKey } from '../core/driver.js';
import type { Snapshot } from '../core/resource.js';

/** The changes that take a key off their address and the changes that put it on theirs. */
interface Move {
  leaving: { change: Change; id: IdentityKey }[];
  arriving: { change: Change; id: IdentityKey }[];
}

/** Groups the changes by identity key: which lose it (live has it, desired not) and which gain it. */
function movesByKey(changes: readonly Change[], o: { observed: Snapshot; driverOf: (address: string, name: string) => Driver }): Map<string, Move> {
  const byKey = new Map<string, Move>();
  const slot = (driver: string, id: IdentityKey): Move => {
    const k = `${driver}\0${id.key}`;
    let m = byKey.get(k);
    if (!m) byKey.set(k, (m = { leaving: [], arriving: [] }));
    return m;
  };
  for (const change of changes) {
    const driver = o.driverOf(change.address, change.driver);
    if (!driver.identityKey) continue;
    // the live object, not `before`: a cascaded re-create has no `before` yet keeps its key
    const live = o.observed.resources.get(change.address);
    const was = live ? driver.identityKey(live) : undefined;
    const will = change.after ? driver.identityKey(change.after) : undefined;
    if (was?.key === will?.key) continue;
    if (was) slot(driver.name, was).leaving.push({ change, id: was });
    if (will) slot(driver.name, will).arriving.push({ change, id: will });
  }
  return byKey;
}

/** Union-find over addresses: the changes of one move, and of moves that share a change (a swap). */
class Links {
  private parent = new Map<string, string>();
  find(a: string): string {
    let p = this.parent.get(a) ?? a;
    while (p !== (this.parent.get(p) ?? p)) p = this.parent.get(p)!;
    this.parent.set(a, p);
    return p;
  }
  join(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  /** every linked address -> the other addresses of its group, sorted. */
  groups(): Map<string, string[]> {
    const members = new Map<string, string[]>();
    for (const a of this.parent.keys()) {
      const r = this.find(a);
      members.set(r, [...(members.get(r) ?? []), a]);
    }
    const out = new Map<string, string[]>();
    for (const list of members.values()) for (const a of list) out.set(a, list.filter((x) => x !== a).sort());
    return out;
  }
}

const joined = (xs: string[]): string => [...new Set(xs)].sort().join(', ');

/**
 * Finds the identity moves among completed changes, adds an `identity` impact naming the old and
 * the new identity to every change of a move (dropping its `benign` placeholder), and returns the
 * links: address -> the other addresses of its move, for the guards. Changes are the planner's
 * own fresh objects, so their impacts are extended in place.
 */
export function linkIdentityMoves(
  changes: readonly Change[],
  o: { observed: Snapshot; driverOf: (address: string, name: string) => Driver },
): Map<string, string[]> {
  const links = new Links();
  for (const move of movesByKey(changes, o).values()) {
    if (move.leaving.length === 0 || move.arriving.length === 0) continue; // a new or a removed object, not a move
    const object = move.arriving[0].id.object;
    const detail = `${object} moves from ${joined(move.leaving.map((h) => h.id.identity))} to ${joined(move.arriving.map((h) => h.id.identity))}`;
    const halves = [...move.leaving, ...move.arriving].map((h) => h.change);
    for (const c of new Set(halves)) {
      c.impact = [...c.impact.filter((i) => i.class !== 'benign'), { class: 'identity', detail }];
      links.join(halves[0].address, c.address);
    }
  }
  return links.groups();
}
