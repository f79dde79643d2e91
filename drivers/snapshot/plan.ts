/**
 * What one snapshot set needs now (pure: the clock and the listing are inputs): the snapshot to
 * take when its slot has none, and the snapshots retention no longer keeps, counting the one about
 * to be taken. The text form is what `sanform snapshot` shows before it changes anything.
 */
import type { SnapshotSetSpec } from '../../schema/model.js';
import type { Subvolume } from './btrfs.js';
import { keep } from './retention.js';
import { snapshotStepLines } from '../../reconciler/render/snapshots.js';
import { due, snapshotName, type Schedule } from './schedule.js';

export interface SetPlan {
  set: string;
  subvolume: string;
  /** name of the snapshot to take now, if due. */
  take?: string;
  /** what retention drops (newest first). */
  prune: Subvolume[];
  /** what stays (newest first), without the one to take. */
  kept: Subvolume[];
  consistency: 'crash-consistent' | 'freeze/thaw hooks';
}

export const scheduleOf = (s: SnapshotSetSpec): Schedule => (s.every ? { every: s.every } : { at: s.at ?? [] });

/**
 * `force`: take one for this minute even when the slot has one; `take: false`: take nothing and
 * count only the existing snapshots for retention (`snapshot prune` on its own).
 */
export function planSet(o: { set: string; spec: SnapshotSetSpec; existing: readonly Subvolume[]; now: Date; force?: boolean; take?: boolean }): SetPlan {
  const slot = o.take === false ? undefined : due(scheduleOf(o.spec), o.existing.map((s) => s.time), o.now) ?? (o.force ? new Date(Math.floor(o.now.getTime() / 60_000) * 60_000) : undefined);
  const take = slot && !o.existing.some((s) => s.time.getTime() === slot.getTime()) ? snapshotName(o.spec.btrfs.split('/').pop()!, slot) : undefined;
  const times = [...o.existing.map((s) => s.time), ...(take && slot ? [slot] : [])];
  const kept = keep(o.spec.keep, times);
  return {
    set: o.set,
    subvolume: o.spec.btrfs,
    take,
    prune: o.existing.filter((_, i) => !kept.has(i)),
    kept: o.existing.filter((_, i) => kept.has(i)),
    consistency: o.spec.consistency && o.spec.consistency !== 'crash' ? 'freeze/thaw hooks' : 'crash-consistent',
  };
}

/** The set's plan as `sanform snapshot` shows it before it acts (the plan's lines, without the peer). */
export const setPlanText = (p: SetPlan, spec: SnapshotSetSpec): string =>
  `${snapshotStepLines({ set: p.set, spec, consistency: p.consistency, ...(p.take ? { take: p.take } : {}), prune: p.prune.map((x) => x.name), kept: p.kept.length, ...(p.kept[0] ? { newest: p.kept[0].name } : {}) }, { peer: false }).join('\n')}\n`;
