/**
 * What one snapshot set needs now (pure: the clock and the listing are inputs): the snapshot to
 * take when its slot has none, and the snapshots retention no longer keeps, counting the one about
 * to be taken. The text form is what `sanform snapshot` shows before it changes anything.
 */
import type { SnapshotSetSpec } from '../../schema/model.js';
import type { Subvolume } from './btrfs.js';
import { keep } from './retention.js';
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

export function planSet(o: { set: string; spec: SnapshotSetSpec; existing: readonly Subvolume[]; now: Date; force?: boolean }): SetPlan {
  const slot = due(scheduleOf(o.spec), o.existing.map((s) => s.time), o.now) ?? (o.force ? new Date(Math.floor(o.now.getTime() / 60_000) * 60_000) : undefined);
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

const rule = (k: SnapshotSetSpec['keep']): string => Object.entries(k).map(([n, v]) => `${n} ${v}`).join(', ');

export function setPlanText(p: SetPlan, spec: SnapshotSetSpec): string {
  const when = spec.every ? `every ${spec.every}` : `at ${(spec.at ?? []).join(', ')} UTC`;
  const lines = [`snapshot set ${p.set} (${p.subvolume}, ${when}, keep ${rule(spec.keep)}):`];
  if (p.take) lines.push(`  + ${p.take}  (due; ${p.consistency})`);
  for (const s of p.prune) lines.push(`  - ${s.name}  (retention keeps it no longer)`);
  if (!p.take && p.prune.length === 0) lines.push(`  nothing to do: ${p.kept.length} snapshot(s), the newest ${p.kept[0]?.name ?? '(none)'}`);
  return `${lines.join('\n')}\n`;
}
