import type { Plan } from '../core/change.js';
import type { Snapshot } from '../core/resource.js';
import { markRecorded, type ApplyResult, type HeldLock } from '../apply/index.js';
import { readDesired } from '../state/desired.js';
import { listPending, recordSafely } from '../state/pending.js';
import type { ChangeOutcome, RecordKind } from '../state/record.js';
import { openStore } from '../state/store.js';
import { alertsFromPlan } from './context.js';
import { holdFileLock } from './file-lock.js';
import type { ApplyReport, GitopsContext } from './types.js';

/** One entry per change of the plan, plus the blocked ones: the `outcome.json` of a record. */
export function outcomeOf(plan: Plan, result: ApplyResult): ChangeOutcome[] {
  const out: ChangeOutcome[] = result.results.map((r) => ({
    address: r.address,
    action: r.action,
    status: r.status,
    ...(r.error ? { error: { code: r.error.code, message: r.error.message } } : r.skippedBecause ? { error: { code: 'SKIPPED', message: `waits for ${r.skippedBecause}` } } : {}),
  }));
  for (const b of plan.blocked) out.push({ address: b.address, action: b.action, status: 'blocked', error: { code: 'BLOCKED', message: b.hint } });
  return out;
}

const iso = (ctx: GitopsContext) => (ctx.now ?? (() => new Date()))().toISOString();

/** The live state after an apply; if observing fails, the plan's view stands in (marked as such). */
async function observeAfter(ctx: GitopsContext, fallback: Snapshot): Promise<Snapshot> {
  try {
    return await ctx.engine.observe();
  } catch (e) {
    ctx.logger.error({ error: String((e as Error).message ?? e) }, 'observe after apply failed; recording the state seen before apply');
    return { ...fallback, source: `${fallback.source} (before apply: observe failed)` };
  }
}

/**
 * Records an apply and updates metrics; a failure to record raises an alert and leaves the
 * record pending, but never changes the apply's own status.
 */
async function record(ctx: GitopsContext, p: { kind: RecordKind; revision: string; plan: Plan; result: ApplyResult; snapshot: Snapshot; startedAt: string }) {
  const rec = await recordSafely({
    repo: ctx.repo,
    stateDir: ctx.stateDir,
    record: {
      kind: p.kind, node: ctx.node, host: ctx.hostId, desiredRevision: p.revision, startedAt: p.startedAt, finishedAt: iso(ctx),
      ok: p.result.ok, run: p.result.run, plan: p.plan, outcome: outcomeOf(p.plan, p.result), snapshot: p.snapshot,
    },
  });
  if (!rec.ok) {
    await ctx.alerter.raise({
      kind: 'record-failed', severity: 'warning', node: ctx.node, time: iso(ctx), desiredRevision: p.revision, error: rec.error,
      summary: `sanform on ${ctx.node}: ${p.kind} of ${p.revision.slice(0, 12)} ${p.result.ok ? 'succeeded' : 'failed'} but its record could not be written to ${ctx.repo}; kept pending`,
    });
  } else if (rec.flushed.length > 0) {
    ctx.logger.info({ records: rec.flushed }, `wrote ${rec.flushed.length} pending record(s)`);
  }
  const m = ctx.alerter.metrics;
  if (m) {
    m.state.pendingRecords = (await listPending(ctx.stateDir)).length;
    await m.flush().catch(() => undefined);
  }
  return rec;
}

function setPlanMetrics(ctx: GitopsContext, plan: Plan): void {
  const m = ctx.alerter.metrics;
  if (m) m.state.planChanges = { ...plan.summary.byImpact };
}

/**
 * Converges the host to desired revision `rev` and records the result: take the machine's lock
 * (and record an apply killed before its record), read the files at `rev`, plan against the
 * live host, apply, observe, record, all under the lock. An invalid revision is reported (and
 * alerted), never applied.
 */
export async function applyRevision(ctx: GitopsContext, p: { rev: string; kind: RecordKind; allow?: string[]; plan?: Plan }): Promise<ApplyReport> {
  const t0 = Date.now();
  const { lock, recovered } = await ctx.engine.lock();
  try {
    if (recovered) {
      ctx.logger.warn({ run: recovered.run, record: recovered.record?.oid, pending: recovered.record?.pendingFile }, `recorded run ${recovered.run}, which was killed before it recorded itself (${recovered.rebuilt})`);
    }
    const report = await converge(ctx, { ...p, lock, t0 });
    return recovered ? { ...report, recovered } : report;
  } finally {
    lock.release();
  }
}

async function converge(ctx: GitopsContext, p: { rev: string; kind: RecordKind; allow?: string[]; plan?: Plan; lock: HeldLock; t0: number }): Promise<ApplyReport> {
  const { t0 } = p;
  const startedAt = iso(ctx);
  const store = await openStore(ctx.repo);
  const desired = await readDesired(store, p.rev, ctx.node);
  const planned = await ctx.engine.plan({ files: desired.files, revision: desired.revision, allow: p.allow, diagnostics: desired.diagnostics });
  if (!planned.ok) {
    await ctx.alerter.raise({
      kind: 'apply-failed', severity: 'critical', node: ctx.node, time: startedAt, desiredRevision: desired.revision,
      summary: `sanform on ${ctx.node}: revision ${desired.revision.slice(0, 12)} is invalid (${planned.diagnostics.length} diagnostic(s)); nothing applied`,
      error: { code: planned.diagnostics[0]?.code ?? 'INVALID', message: planned.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join('; ') },
    });
    return { revision: desired.revision, kind: p.kind, status: 'invalid', diagnostics: planned.diagnostics, durationMs: Date.now() - t0 };
  }
  await alertsFromPlan(ctx, planned.model.alerts);
  const plan = p.plan ?? planned.plan;
  setPlanMetrics(ctx, plan);
  const target = { repo: ctx.repo, kind: p.kind, node: ctx.node, host: ctx.hostId, desiredRevision: desired.revision, startedAt };
  const release = ctx.lockFile ? await holdFileLock(ctx.lockFile) : undefined;
  let result: ApplyResult;
  try {
    result = await ctx.engine.apply(plan, { lock: p.lock, record: target });
  } finally {
    await release?.();
  }
  ctx.logger.info({ run: result.run, counts: result.counts }, `run ${result.run} finished; recording it`);
  const snapshot = await observeAfter(ctx, planned.observed);
  const rec = await record(ctx, { kind: p.kind, revision: desired.revision, plan, result, snapshot, startedAt });
  if (rec.oid || rec.pendingFile) {
    ctx.logger.info({ run: result.run, record: rec.oid, pending: rec.pendingFile }, `run ${result.run}: record written`);
    markRecorded(ctx.stateDir, { run: result.run, at: iso(ctx), ...(rec.oid ? { oid: rec.oid } : {}), ...(rec.pendingFile ? { pending: rec.pendingFile } : {}) });
  }
  const m = ctx.alerter.metrics;
  if (m) {
    m.state.reconcileDurationSeconds = (Date.now() - t0) / 1000;
    if (result.ok) m.state.lastApplySuccessSeconds = Math.floor(Date.now() / 1000);
    await m.flush().catch(() => undefined);
  }
  if (!result.ok) {
    const failed = result.results.filter((r) => r.status === 'failed');
    await ctx.alerter.raise({
      kind: 'apply-failed', severity: 'critical', node: ctx.node, time: iso(ctx), desiredRevision: desired.revision, record: rec.oid,
      summary: `sanform on ${ctx.node}: ${p.kind} of ${desired.revision.slice(0, 12)}: ${result.counts.failed} failed, ${result.counts.skipped} skipped, ${result.counts.blocked} blocked`,
      error: failed[0]?.error ? { code: failed[0].error.code, message: `${failed[0].address}: ${failed[0].error.message}` } : undefined,
    });
  }
  return { revision: desired.revision, kind: p.kind, status: result.ok ? 'applied' : 'failed', plan, result, record: rec, durationMs: Date.now() - t0 };
}
