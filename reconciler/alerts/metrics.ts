import { createServer, type Server } from 'node:http';
import { dirname } from 'node:path';
import { promises as fsp } from 'node:fs';
import type { ImpactClass } from '../core/change.js';
import { DRIFT_CLASSES, type DriftClass } from '../drift/types.js';
import { writeDurable } from '../state/fs.js';
import type { Alert, AlertSink } from './types.js';

/**
 * sanform's Prometheus metrics (reference/peers.md §11): the gauges the watch loop and apply
 * set, rendered in the text exposition format for node_exporter's textfile collector (written
 * atomically) or served on an optional `/metrics` listener.
 */
export interface MetricsState {
  node: string;
  reconcileDurationSeconds?: number;
  lastApplySuccessSeconds?: number;
  driftObjects: Record<DriftClass, number>;
  planChanges: Partial<Record<ImpactClass, number>>;
  pendingRecords: number;
  alertsTotal: number;
  alertFailuresTotal: number;
  /** per snapshot set (storage.snapshots): newest snapshot's age, replication lag (seconds). */
  snapshotSets?: Record<string, { ageSeconds?: number; lagSeconds?: number }>;
}

const IMPACTS: readonly ImpactClass[] = ['data-loss', 'io-disruptive', 'identity', 'session', 'benign'];

export function emptyMetrics(node: string): MetricsState {
  return { node, driftObjects: { operator: 0, kernel: 0, hardware: 0, failover: 0 }, planChanges: {}, pendingRecords: 0, alertsTotal: 0, alertFailuresTotal: 0 };
}

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** The text exposition format (version 0.0.4). */
export function renderMetrics(m: MetricsState): string {
  const n = `node="${esc(m.node)}"`;
  const out: string[] = [];
  const gauge = (name: string, help: string, type: 'gauge' | 'counter', samples: [string, number | undefined][]) => {
    const present = samples.filter(([, v]) => v !== undefined);
    if (present.length === 0) return;
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, v] of present) out.push(`${name}{${labels}} ${v}`);
  };
  gauge('sanform_reconcile_duration_seconds', 'Duration of the last reconcile (observe, plan, apply).', 'gauge', [[n, m.reconcileDurationSeconds]]);
  gauge('sanform_drift_objects', 'Objects drifted from the desired state at the last observation, by drift class.', 'gauge',
    DRIFT_CLASSES.map((c) => [`${n},class="${c}"`, m.driftObjects[c]]));
  gauge('sanform_last_apply_success_timestamp_seconds', 'Unix time of the last apply that succeeded.', 'gauge', [[n, m.lastApplySuccessSeconds]]);
  gauge('sanform_plan_changes', 'Changes in the last plan, by impact class.', 'gauge', IMPACTS.map((i) => [`${n},impact="${i}"`, m.planChanges[i] ?? 0]));
  gauge('sanform_pending_records', 'Record commits waiting for a writable state repo.', 'gauge', [[n, m.pendingRecords]]);
  gauge('sanform_alerts_total', 'Alerts raised since start.', 'counter', [[n, m.alertsTotal]]);
  gauge('sanform_alert_failures_total', 'Alert deliveries that failed after retries since start.', 'counter', [[n, m.alertFailuresTotal]]);
  const sets = Object.entries(m.snapshotSets ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  gauge('sanform_snapshot_age_seconds', 'Age of the newest snapshot of the set, at the last check.', 'gauge', sets.map(([s, v]) => [`${n},set="${esc(s)}"`, v.ageSeconds]));
  gauge('sanform_replication_lag_seconds', 'Age of the newest snapshot of the set its peer holds completely, at the last check.', 'gauge', sets.map(([s, v]) => [`${n},set="${esc(s)}"`, v.lagSeconds]));
  return `${out.join('\n')}\n`;
}

export interface MetricsExporter extends AlertSink {
  readonly state: MetricsState;
  /** rewrites the text file (if any) from the current state. */
  flush(): Promise<void>;
  /** the bound port of the listener, when `listen` was given. */
  port(): number | undefined;
}

/** Parses `listen`: `9464`, `:9464`, `127.0.0.1:9464`, `[::1]:9464`. Default host 127.0.0.1. */
export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[?([^\]]*?)\]?:)?(\d+)$/.exec(listen.trim());
  if (!m) throw new Error(`invalid listen address '${listen}' (use HOST:PORT)`);
  return { host: m[1] || '127.0.0.1', port: Number(m[2]) };
}

/**
 * A metrics exporter. As an alert sink it counts alerts; the watch loop and apply update
 * `state` and call `flush`. The listener is started by `start` and stopped by `close`.
 */
export function metricsExporter(o: { node: string; textfile?: string; listen?: string }): MetricsExporter & { start(): Promise<void> } {
  const state = emptyMetrics(o.node);
  let server: Server | undefined;
  const exporter = {
    name: 'metrics',
    state,
    async send(_alert: Alert) {
      state.alertsTotal += 1;
      await exporter.flush();
    },
    async flush() {
      if (!o.textfile) return;
      await fsp.mkdir(dirname(o.textfile), { recursive: true });
      await writeDurable(o.textfile, renderMetrics(state));
    },
    async start() {
      if (!o.listen || server) return;
      const { host, port } = parseListen(o.listen);
      server = createServer((req, res) => {
        if (req.url === '/metrics' || req.url?.startsWith('/metrics?')) {
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(renderMetrics(state));
        } else res.writeHead(404).end('not found\n');
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, host, () => resolve());
      });
    },
    port() {
      const a = server?.address();
      return a && typeof a === 'object' ? a.port : undefined;
    },
    async close() {
      if (server) await new Promise<void>((r) => server!.close(() => r()));
      server = undefined;
    },
  };
  return exporter;
}
