import { createHash } from 'node:crypto';
import type { Change, Plan } from '../core/change.js';
import { heldAsChanges, mergeFaults, summarize } from '../plan/index.js';
import { applyInProgress } from '../apply/index.js';
import { driftAlert } from '../alerts/format.js';
import { classifyDrift, correctable, countByClass, ignoreDrift } from '../drift/classify.js';
import type { DriftItem } from '../drift/types.js';
import { readDesired } from '../state/desired.js';
import { lastGoodRevision, readRecords } from '../state/history.js';
import { recordSafely } from '../state/pending.js';
import { DESIRED_REF, openStore } from '../state/store.js';
import { canonicalJson } from '../state/snapshot-files.js';
import { applyRevision } from './converge.js';
import { parseInterval } from './interval.js';
import { faultChanges } from '../stack/fault.js';
import type { DriftReport, GitopsContext, ScheduledReport, WatchMemory } from './types.js';
import type { SanformModel } from '../../schema/model.js';

/** The desired revision in force: the last one applied on this node, else main. */
export async function revisionInForce(ctx: GitopsContext): Promise<string> {
  const store = await openStore(ctx.repo);
  const [last] = await readRecords(store, { node: ctx.node, limit: 1, refs: ['applied'] });
  return last?.meta.desiredRevision ?? (await lastGoodRevision(store, ctx.node)) ?? DESIRED_REF;
}

/** Blocked entries carry no before/after; rebuild a change from the snapshots for classifying. */
function blockedAsChanges(plan: Plan, desired: Map<string, { kind: string; driver: string }>, observed: Map<string, { kind: string; driver: string }>): Change[] {
  return plan.blocked.map((b) => {
    const r = desired.get(b.address) ?? observed.get(b.address);
    return {
      address: b.address, kind: r?.kind ?? 'unknown', driver: r?.driver ?? 'unknown', action: b.action,
      before: observed.get(b.address) as Change['before'], after: desired.get(b.address) as Change['after'],
      fields: [], impact: b.because, reason: 'blocked', deps: [], stage: 'attributes', ops: [],
    };
  });
}

const signature = (items: DriftItem[]): string =>
  createHash('sha256').update(canonicalJson(items.map(({ why: _w, ...rest }) => rest))).digest('hex');

/** The part of a plan that converges only the correctable drift. */
function correctionPlan(plan: Plan, items: DriftItem[]): Plan | undefined {
  const fix = new Set(items.filter(correctable).map((i) => i.address));
  const changes = plan.changes.filter((c) => fix.has(c.address));
  if (changes.length === 0) return undefined;
  return { ...plan, changes, blocked: [], summary: summarize(changes, 0) };
}

/**
 * One drift check: plan the revision in force against the live host, classify what differs,
 * record the observed state (only when it changed), alert when the drift changed since the last
 * alert, and converge what is in `correct` mode.
 */
export async function checkDrift(ctx: GitopsContext, memory: WatchMemory = {}): Promise<DriftReport> {
  const t0 = Date.now();
  const store = await openStore(ctx.repo);
  const rev = await revisionInForce(ctx);
  const busy = applyInProgress(ctx.stateDir);
  if (busy) {
    // a state in the middle of someone's apply is not drift; the next interval looks again
    ctx.logger.info({ pid: busy.pid, since: busy.since }, `an apply is in progress (pid ${busy.pid}); drift check skipped`);
    return { revision: rev, items: [], alerted: false, skipped: 'apply-in-progress' };
  }
  const desired = await readDesired(store, rev, ctx.node);
  const planned = await ctx.engine.plan({ files: desired.files, revision: desired.revision, diagnostics: desired.diagnostics });
  if (!planned.ok) return { revision: desired.revision, items: [], alerted: false };
  const scheduled = await runScheduled(ctx, planned.model);
  const { plan, observed } = planned;
  memory.intervalMs = parseInterval(planned.model.policy?.drift?.interval) ?? memory.intervalMs;
  const converging = heldAsChanges(plan, [...plan.changes, ...blockedAsChanges(plan, planned.desired.resources, observed.resources)]);
  // hardware faults (a degraded array, an LV on a missing PV) are drift with no change planned
  const changes = mergeFaults(converging, faultChanges(observed, planned.desired));
  const classified = classifyDrift({ changes, observed, desired: planned.desired, peers: planned.peers, policyMode: planned.model.policy?.drift?.mode });
  const items = ignoreDrift(classified, planned.model.policy?.drift?.ignore);
  const m = ctx.alerter.metrics;
  if (m) {
    m.state.driftObjects = countByClass(items);
    // the changes that would converge the drift (ignored and `off` objects left out)
    const drifted = new Set(items.map((i) => i.address));
    m.state.planChanges = { ...summarize(plan.changes.filter((c) => drifted.has(c.address)), 0).byImpact };
    m.state.reconcileDurationSeconds = (Date.now() - t0) / 1000;
    await m.flush().catch(() => undefined);
  }
  const now = (ctx.now ?? (() => new Date()))();
  if (items.length === 0) {
    memory.lastDriftSignature = undefined;
    // the last observe record said there was drift: record that it is gone (fleet status reads it)
    const [seen] = await readRecords(store, { node: ctx.node, limit: 1, refs: ['observed'] });
    const record = Object.values(seen?.meta.drift ?? {}).some((n) => n > 0)
      ? await recordSafely({
          repo: ctx.repo, stateDir: ctx.stateDir,
          record: { kind: 'observe', node: ctx.node, host: ctx.hostId, desiredRevision: desired.revision, startedAt: now.toISOString(), finishedAt: now.toISOString(), ok: true, outcome: [], snapshot: observed, drift: countByClass(items) },
        })
      : undefined;
    return { revision: desired.revision, items, alerted: false, ...(record ? { record } : {}), ...(scheduled ? { scheduled } : {}) };
  }
  const rec = await recordSafely({
    repo: ctx.repo, stateDir: ctx.stateDir,
    record: { kind: 'observe', node: ctx.node, host: ctx.hostId, desiredRevision: desired.revision, startedAt: now.toISOString(), finishedAt: now.toISOString(), ok: false, outcome: [], snapshot: observed, drift: countByClass(items) },
  });
  const sig = signature(items);
  const alerted = sig !== memory.lastDriftSignature;
  if (alerted) {
    memory.lastDriftSignature = sig;
    await ctx.alerter.raise(driftAlert({ node: ctx.node, items, record: rec.oid, desiredRevision: desired.revision, time: now }));
  }
  const fix = correctionPlan(plan, items);
  const corrected = fix ? await applyRevision(ctx, { rev: desired.revision, kind: 'correct', plan: fix }) : undefined;
  if (corrected?.status === 'applied') memory.lastDriftSignature = undefined;
  return { revision: desired.revision, items, record: rec, alerted, corrected, ...(scheduled ? { scheduled } : {}) };
}

/** The engine's periodic work (snapshot sets); a failure is logged and alerted, never fatal. */
async function runScheduled(ctx: GitopsContext, model: SanformModel): Promise<ScheduledReport | undefined> {
  if (!ctx.engine.scheduled) return undefined;
  const r = await ctx.engine.scheduled(model).catch((e: Error): ScheduledReport => ({ lines: [], errors: [e.message] }));
  for (const line of r.lines) ctx.logger.info({}, line);
  const m = ctx.alerter.metrics;
  if (m && r.gauges) {
    m.state.snapshotSets = Object.fromEntries(r.gauges.map((g) => [g.set, { ageSeconds: g.snapshotAgeSeconds, lagSeconds: g.replicationLagSeconds }]));
    await m.flush().catch(() => undefined);
  }
  if (r.errors.length) {
    ctx.logger.error({ errors: r.errors }, 'scheduled work failed');
    const time = (ctx.now ?? (() => new Date()))().toISOString();
    await ctx.alerter.raise({ kind: 'scheduled-failed', severity: 'warning', node: ctx.node, time, summary: r.errors[0]!, error: { code: 'SCHEDULED_FAILED', message: r.errors.join('; ') } });
  }
  return r.lines.length || r.errors.length ? r : undefined;
}
