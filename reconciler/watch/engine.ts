import type { Driver, SecretResolver } from '../core/driver.js';
import type { Snapshot } from '../core/resource.js';
import type { Host } from '../host/host.js';
import { applyPlan, loadAndPlan } from '../pipeline.js';
import { expandDesired, observe } from '../snapshot/index.js';
import type { GitopsEngine, PlanResponse } from './types.js';

export interface PipelineEngineOptions {
  host: Host;
  drivers: readonly Driver[];
  node: string;
  env?: NodeJS.ProcessEnv;
  /** base directory for relative secret file paths in pushed files (default: the repo). */
  configDir?: string;
  lockTimeoutMs?: number;
}

/**
 * The GitOps port backed by the engine's pipeline (reconciler/pipeline.ts). The secrets of the
 * last plan are kept for the apply that follows it; plans made from git hold no secret values.
 */
export function pipelineEngine(o: PipelineEngineOptions): GitopsEngine {
  let secrets: SecretResolver | undefined;
  return {
    async plan(req): Promise<PlanResponse> {
      const r = await loadAndPlan({
        texts: req.files, host: o.host, drivers: o.drivers, node: o.node, allow: req.allow, observed: req.observed,
        desiredRevision: req.revision, env: o.env, configDir: o.configDir,
      });
      if (!r.ok) return r;
      secrets = r.secrets;
      const peers: Snapshot[] = Object.keys(r.model.nodes ?? {})
        .filter((n) => n !== r.node)
        .map((n) => expandDesired(r.model, o.drivers, { node: n, secrets: r.secrets, source: `desired:peer:${n}` }));
      return { ok: true, plan: r.plan, model: r.model, desired: r.desired, observed: r.observed, peers, diagnostics: r.diagnostics };
    },
    apply(plan) {
      return applyPlan({ host: o.host, plan, drivers: o.drivers, secrets, node: o.node, lockTimeoutMs: o.lockTimeoutMs ?? 30_000 });
    },
    observe() {
      return observe(o.host, o.drivers, { node: o.node });
    },
  };
}
