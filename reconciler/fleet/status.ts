/**
 * `sanform fleet status`: one line per node from the tips of the records in a repository (the
 * central one, or an appliance's copy under refs/fleet/). Only ref tips are read, so the cost
 * does not grow with the history: 200 nodes with a year of records read 400 small blobs, in
 * three git processes (batch.ts).
 */
import type { RecordMeta } from '../state/record.js';
import type { Store } from '../state/store.js';
import { readBlobs, refTips } from './batch.js';
import type { Fleet } from './fleet-file.js';

export interface NodeStatus {
  node: string;
  wave: string;
  group?: string;
  /** desired revision of the newest apply record, if any. */
  revision?: string;
  /** `never`: no apply record; `behind`: applied an older revision than main. */
  state: 'applied' | 'failed' | 'behind' | 'never';
  /** drift objects by class, from an observe record newer than the last apply. */
  drift: Record<string, number>;
  lastError?: string;
  finishedAt?: string;
  ageSeconds?: number;
}

/**
 * One row per node, in wave order. `refPrefix`: where the records are (`refs/sanform` in the
 * central repository). Two git processes read every tip, a third the outcome of failed ones.
 */
export async function fleetStatus(o: { store: Store; fleet: Fleet; main: string; now: Date; refPrefix?: string }): Promise<NodeStatus[]> {
  const prefix = o.refPrefix ?? 'refs/sanform';
  const tips = await refTips(o.store.gitdir, prefix);
  const commit = (node: string, kind: string) => tips.get(`${prefix}/${node}/${kind}`)?.commit;
  const time = (node: string, kind: string) => tips.get(`${prefix}/${node}/${kind}`)?.time ?? 0;
  const nodes = o.fleet.waves.flatMap((w) => w.nodes.map((node) => ({ node, wave: w.name })));
  const specs = nodes.flatMap(({ node }) => ['applied', 'observed'].map((k) => commit(node, k)).filter((c): c is string => c !== undefined).map((c) => `${c}:record.json`));
  const blobs = await readBlobs(o.store.gitdir, specs);
  const meta = (c: string | undefined): RecordMeta | undefined => {
    const text = c ? blobs.get(`${c}:record.json`) : undefined;
    return text ? (JSON.parse(text) as RecordMeta) : undefined;
  };
  const rows = nodes.map(({ node, wave }): NodeStatus => {
    const applied = meta(commit(node, 'applied'));
    const observed = meta(commit(node, 'observed'));
    // observe records carry no times (an unchanged drift is one record): their commit time tells
    const fresh = observed && (!applied || time(node, 'observed') >= time(node, 'applied'));
    return {
      node, wave, group: o.fleet.nodes.get(node)?.group,
      revision: applied?.desiredRevision,
      state: !applied ? 'never' : !applied.ok ? 'failed' : applied.desiredRevision !== o.main ? 'behind' : 'applied',
      drift: fresh ? { ...(observed.drift ?? {}) } : {},
      finishedAt: applied?.finishedAt,
      ageSeconds: applied ? Math.max(0, Math.round((o.now.getTime() - Date.parse(applied.finishedAt)) / 1000)) : undefined,
    };
  });
  const failed = rows.filter((r) => r.state === 'failed');
  const outcomes = await readBlobs(o.store.gitdir, failed.map((r) => `${commit(r.node, 'applied')}:outcome.json`));
  for (const r of failed) r.lastError = firstError(outcomes.get(`${commit(r.node, 'applied')}:outcome.json`));
  return rows;
}

/** The first failed change of a record's outcome, as `ADDRESS: CODE`. */
function firstError(text: string | undefined): string {
  const failed = text ? (JSON.parse(text) as { address: string; status: string; error?: { code: string } }[]).find((x) => x.status === 'failed') : undefined;
  return failed ? `${failed.address}: ${failed.error?.code ?? 'failed'}` : 'not every change was applied';
}

const age = (s?: number): string => (s === undefined ? '-' : s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : s < 172800 ? `${Math.round(s / 3600)}h` : `${Math.round(s / 86400)}d`);
const driftText = (d: Record<string, number>): string => Object.entries(d).filter(([, n]) => n > 0).map(([c, n]) => `${c}:${n}`).join(',') || 'none';

/** A fixed-width table, one line per node. */
export function statusTable(rows: NodeStatus[]): string {
  const cells = [['NODE', 'WAVE', 'REVISION', 'STATE', 'DRIFT', 'AGE', 'LAST ERROR'], ...rows.map((r) => [r.node, r.wave, r.revision?.slice(0, 12) ?? '-', r.state, driftText(r.drift), age(r.ageSeconds), r.lastError ?? '-'])];
  const widths = cells[0].map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  return `${cells.map((c) => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i]))).join('  ')).join('\n')}\n`;
}

const esc = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** The same rows in Prometheus text format (for a node_exporter textfile collector). */
export function statusMetrics(rows: NodeStatus[], main: string): string {
  const lines = [
    '# HELP sanform_fleet_node_info one per node: its wave and the revision it applied last',
    '# TYPE sanform_fleet_node_info gauge',
    ...rows.map((r) => `sanform_fleet_node_info{node="${esc(r.node)}",wave="${esc(r.wave)}",revision="${r.revision ?? ''}",state="${r.state}"} 1`),
    '# HELP sanform_fleet_node_current 1 when the node applied main without failure',
    '# TYPE sanform_fleet_node_current gauge',
    ...rows.map((r) => `sanform_fleet_node_current{node="${esc(r.node)}",main="${main}"} ${r.state === 'applied' ? 1 : 0}`),
    '# HELP sanform_fleet_node_drift_objects drifted objects by class, from the newest observe record',
    '# TYPE sanform_fleet_node_drift_objects gauge',
    ...rows.flatMap((r) => Object.entries(r.drift).map(([c, n]) => `sanform_fleet_node_drift_objects{node="${esc(r.node)}",class="${esc(c)}"} ${n}`)),
    '# HELP sanform_fleet_node_last_apply_age_seconds seconds since the node finished its last apply',
    '# TYPE sanform_fleet_node_last_apply_age_seconds gauge',
    ...rows.filter((r) => r.ageSeconds !== undefined).map((r) => `sanform_fleet_node_last_apply_age_seconds{node="${esc(r.node)}"} ${r.ageSeconds}`),
  ];
  return `${lines.join('\n')}\n`;
}
