/** Prometheus text for one snapshot set: the age of its newest snapshot and the replication lag. */
import type { Subvolume } from './btrfs.js';

const esc = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

export function setMetrics(o: { set: string; mine: Subvolume[]; peer?: Subvolume[]; now: Date }): string {
  const age = (s?: Subvolume) => (s ? Math.max(0, Math.round((o.now.getTime() - s.time.getTime()) / 1000)) : undefined);
  const newestThere = o.peer?.filter((s) => s.receivedUuid).sort((a, b) => b.time.getTime() - a.time.getTime())[0];
  const lines = [
    '# HELP sanform_snapshot_age_seconds age of the newest snapshot of the set',
    '# TYPE sanform_snapshot_age_seconds gauge',
    ...(age(o.mine[0]) === undefined ? [] : [`sanform_snapshot_age_seconds{set="${esc(o.set)}"} ${age(o.mine[0])}`]),
  ];
  if (o.peer) {
    lines.push(
      '# HELP sanform_replication_lag_seconds age of the newest snapshot the peer holds completely',
      '# TYPE sanform_replication_lag_seconds gauge',
      ...(age(newestThere) === undefined ? [] : [`sanform_replication_lag_seconds{set="${esc(o.set)}"} ${age(newestThere)}`]),
    );
  }
  return `${lines.join('\n')}\n`;
}
