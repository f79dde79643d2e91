import type { Driver, SecretResolver } from '../core/driver.js';
import type { Host } from '../host/host.js';
import { applyPlan, holdApplyLock, loadAndPlan, peerViews } from '../pipeline.js';
import { observe } from '../snapshot/index.js';
import type { SanformModel } from '../../schema/model.js';
import type { GitopsEngine, PlanResponse, ScheduledReport } from './types.js';

export interface PipelineEngineOptions {
  host: Host;
  drivers: readonly Driver[];
  node: string;
  /** the machine's environment: `{env}` secrets, SANFORM_SECRETS_DIR (never the pusher's). */
  env?: NodeJS.ProcessEnv;
  lockTimeoutMs?: number;
  /** periodic work the file declares (the CLI passes the snapshot sets' step). */
  scheduled?: (model: SanformModel) => Promise<ScheduledReport>;
}

/**
 * The GitOps port backed by the engine's pipeline (reconciler/pipeline.ts). The secrets of the
 * last plan are kept for the apply that follows it; plans made from git hold no secret values.
 */
export function pipelineEngine(o: PipelineEngineOptions): GitopsEngine {
  let secrets: SecretResolver | undefined;
  return {
    async plan(req): Promise<PlanResponse> {
      if (req.diagnostics?.some((d) => d.severity === 'error')) return { ok: false, diagnostics: req.diagnostics };
      const r = await loadAndPlan({
        texts: req.files, host: o.host, drivers: o.drivers, node: o.node, allow: req.allow, observed: req.observed,
        desiredRevision: req.revision, env: o.env,
      });
      if (!r.ok) return r;
      secrets = r.secrets;
      const peers = peerViews({ model: r.model, node: r.node, drivers: o.drivers, secrets: r.secrets });
      return { ok: true, plan: r.plan, model: r.model, desired: r.desired, observed: r.observed, peers, diagnostics: r.diagnostics };
    },
    lock() {
      return holdApplyLock({ host: o.host, drivers: o.drivers, lockTimeoutMs: o.lockTimeoutMs ?? 30_000 });
    },
    apply(plan, opts) {
      return applyPlan({ host: o.host, plan, drivers: o.drivers, secrets, node: o.node, lock: opts.lock, record: opts.record });
    },
    observe() {
      return observe(o.host, o.drivers, { node: o.node });
    },
    ...(o.scheduled ? { scheduled: o.scheduled } : {}),
  };
}
