import { isRollback } from '../state/desired.js';
import { flushPending } from '../state/pending.js';
import { readRecords } from '../state/history.js';
import { DESIRED_REF, openStore, resolveRev } from '../state/store.js';
import { applyRevision } from './converge.js';
import { refreshAlerter } from './context.js';
import { checkDrift } from './drift-check.js';
import type { Trigger } from './loop.js';
import type { PullReport } from '../fleet/pull.js';
import { pullStep, pushStep } from './upstream.js';
import type { ApplyReport, DriftReport, GitopsContext, WatchMemory } from './types.js';

export interface CycleReport {
  applied?: ApplyReport;
  drift?: DriftReport;
  /** with an upstream: what the pull found. */
  pulled?: PullReport;
}

/**
 * One watch cycle. With an upstream, pulls first (reconciler/fleet/pull.ts) and pushes this
 * node's records after. Retries pending records; applies main when this node has not applied it yet
 * (a push, or a commit made while no one applied); otherwise, at start and on each interval,
 * checks drift against the revision in force.
 */
export async function watchCycle(ctx: GitopsContext, memory: WatchMemory, reasons: ReadonlySet<Trigger>): Promise<CycleReport> {
  const pulled = await pullStep(ctx, memory);
  try {
    const r = await localCycle(ctx, memory, reasons);
    return pulled ? { ...r, pulled } : r;
  } finally {
    await pushStep(ctx);
  }
}

async function localCycle(ctx: GitopsContext, memory: WatchMemory, reasons: ReadonlySet<Trigger>): Promise<CycleReport> {
  try {
    const flushed = await flushPending(ctx.stateDir);
    if (flushed.length) ctx.logger.info({ records: flushed }, `wrote ${flushed.length} pending record(s)`);
  } catch (e) {
    ctx.logger.warn({ error: (e as Error).message }, 'pending records still cannot be written');
  }
  const store = await openStore(ctx.repo);
  const main = await resolveRev(store, DESIRED_REF);
  const [last] = await readRecords(store, { node: ctx.node, limit: 1, refs: ['applied'] });
  if (last?.meta.desiredRevision !== main && memory.attempted !== main) {
    memory.attempted = main;
    const applied = await applyRevision(ctx, { rev: main, kind: (await isRollback(store, main)) ? 'rollback' : 'apply' }).catch((e: unknown) => {
      if ((e as { code?: string }).code === 'APPLY_IN_PROGRESS') memory.attempted = undefined; // someone else is applying: try main again next cycle
      throw e;
    });
    ctx.logger.info({ revision: main, status: applied.status, record: applied.record?.oid }, `applied ${main.slice(0, 12)}: ${applied.status}`);
    if (applied.status !== 'invalid') await refreshAlerter(ctx, main);
    return { applied };
  }
  if (reasons.has('interval') || reasons.has('start')) {
    const drift = await checkDrift(ctx, memory);
    return { drift };
  }
  return {};
}
