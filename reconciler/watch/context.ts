import type { AlertSpec } from '../../schema/model.js';
import { buildAlerter, type Alerter, type AlerterOptions } from '../alerts/dispatch.js';
import type { AlertLogger } from '../alerts/types.js';
import { loadDesiredTexts } from '../load/index.js';
import { readDesired } from '../state/desired.js';
import { openStore } from '../state/store.js';
import type { GitopsContext, GitopsEngine } from './types.js';

/** The `alerts:` of a desired revision; none when the revision does not load. */
export async function alertSpecsAt(repo: string, rev: string, node?: string): Promise<AlertSpec[] | undefined> {
  try {
    const desired = await readDesired(await openStore(repo), rev, node);
    const loaded = loadDesiredTexts(desired.files);
    return loaded.ok ? loaded.model.alerts : undefined;
  } catch {
    return undefined;
  }
}

/** The `alerts:` each alerter was built from, so an unchanged list keeps its sinks (and listener). */
const builtFrom = new WeakMap<Alerter, string>();

export interface ContextOptions {
  repo: string;
  node: string;
  hostId: string;
  stateDir: string;
  engine: GitopsEngine;
  logger: AlertLogger;
  /** revision whose `alerts:` configure the sinks (default main). */
  alertsFrom?: string;
  /**
   * the sinks come from the model of the first plan made in this context, not from a load of
   * their own (apply --repo of main loads and validates that revision once, for both).
   */
  alertsFromPlan?: boolean;
  lockFile?: string;
  webhook?: AlerterOptions['webhook'];
}

/**
 * Builds the context the GitOps flows run in, with the sinks of the desired state. The metrics
 * listener is not started here (a hook must not bind the daemon's port): watch starts it.
 */
export async function gitopsContext(o: ContextOptions): Promise<GitopsContext> {
  const specs = o.alertsFromPlan ? undefined : await alertSpecsAt(o.repo, o.alertsFrom ?? 'refs/heads/main', o.node);
  const alerter: Alerter = buildAlerter({ specs, node: o.node, logger: o.logger, webhook: o.webhook });
  builtFrom.set(alerter, JSON.stringify(specs ?? []));
  return {
    repo: o.repo, node: o.node, hostId: o.hostId, stateDir: o.stateDir, engine: o.engine, alerter, logger: o.logger, lockFile: o.lockFile,
    ...(o.alertsFromPlan ? { alertsFromPlan: true } : {}),
  };
}

/**
 * A context built with `alertsFromPlan` takes its sinks from the first model planned (the same
 * revision's `alerts:`, already loaded and validated); later calls change nothing.
 */
export async function alertsFromPlan(ctx: GitopsContext, specs: AlertSpec[] | undefined, webhook?: AlerterOptions['webhook']): Promise<void> {
  if (!ctx.alertsFromPlan) return;
  ctx.alertsFromPlan = false;
  await replaceAlerter(ctx, specs ?? [], webhook);
}

/**
 * Rebuilds the sinks from `rev` (after a new revision was applied, its `alerts:` rule). The metrics
 * state carries over so counters do not reset.
 */
export async function refreshAlerter(ctx: GitopsContext, rev: string, webhook?: AlerterOptions['webhook']): Promise<void> {
  const specs = await alertSpecsAt(ctx.repo, rev, ctx.node);
  if (specs) await replaceAlerter(ctx, specs, webhook);
}

/** Swaps the sinks for those of `specs` (unless they are the same), keeping the metrics state. */
async function replaceAlerter(ctx: GitopsContext, specs: AlertSpec[], webhook?: AlerterOptions['webhook']): Promise<void> {
  if (builtFrom.get(ctx.alerter) === JSON.stringify(specs)) return;
  const old = ctx.alerter;
  await old.close();
  const next = buildAlerter({ specs, node: ctx.node, logger: ctx.logger, webhook });
  builtFrom.set(next, JSON.stringify(specs));
  if (old.metrics && next.metrics) Object.assign(next.metrics.state, old.metrics.state);
  await next.metrics?.start().catch((e: Error) => ctx.logger.error({ error: e.message }, 'metrics listener could not start'));
  ctx.alerter = next;
}
