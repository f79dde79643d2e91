/**
 * Snapshot-set metrics: Prometheus text for one set (`snapshot list --textfile`), and the gauges
 * watch puts in its exporter, with the lag check that makes a peer falling behind an alert.
 */
import type { SnapshotSetSpec } from '../../schema/model.js';
import type { Host } from '../../reconciler/host/host.js';
import { listSnapshots, type Subvolume } from './btrfs.js';
import { parseAt, parseEvery } from './schedule.js';
import { peerCopies } from './sets.js';

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

/** The longest time between two slots of a schedule (ms): `every`, or the widest gap of `at` times. */
export function longestGap(s: SnapshotSetSpec): number {
  if (s.every) return parseEvery(s.every) ?? 86_400_000;
  const mins = (s.at ?? []).map((a) => parseAt(a)).filter((m): m is number => m !== undefined).sort((a, b) => a - b);
  if (mins.length === 0) return 86_400_000;
  return Math.max(...mins.map((m, i) => (i === 0 ? m + 1440 - mins[mins.length - 1]! : m - mins[i - 1]!))) * 60_000;
}

export interface SetGauge {
  set: string;
  snapshotAgeSeconds?: number;
  replicationLagSeconds?: number;
  /** why replication counts as failing: the peer's newest complete copy is older than two slots. */
  lagging?: string;
}

const seconds = (now: Date, t: Date): number => Math.max(0, Math.round((now.getTime() - t.getTime()) / 1000));

/**
 * Each set's gauges after the periodic work: the age of its newest snapshot, and of the newest one
 * the peer holds completely (one listing here, one on the peer). A peer whose newest complete copy
 * is more than two slots behind (or that holds none while this side has snapshots) is lagging.
 */
export async function setGauges(host: Host, sets: readonly [string, SnapshotSetSpec][], now: Date): Promise<SetGauge[]> {
  const out: SetGauge[] = [];
  for (const [set, spec] of sets) {
    const mine = await listSnapshots((argv) => host.exec(argv), spec.btrfs).catch(() => undefined);
    const g: SetGauge = { set };
    if (mine?.[0]) g.snapshotAgeSeconds = seconds(now, mine[0].time);
    if (spec.replicate && mine) {
      const peer = await peerCopies(host, spec).catch(() => undefined);
      const newest = peer?.[0];
      if (newest) g.replicationLagSeconds = seconds(now, newest.time);
      const limit = (2 * longestGap(spec)) / 1000;
      if (peer && !newest && mine.length > 0) g.lagging = `the peer ${spec.replicate.to}:${spec.replicate.path} holds no complete copy`;
      else if (g.replicationLagSeconds !== undefined && g.replicationLagSeconds > limit) {
        g.lagging = `the peer's newest complete copy, ${newest!.name}, is ${Math.round(g.replicationLagSeconds / 60)} min old (more than two slots of the schedule)`;
      }
    }
    out.push(g);
  }
  return out;
}
