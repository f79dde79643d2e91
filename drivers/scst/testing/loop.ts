/** Test support: plan with the engine against an emulator host and apply the ops directly. */
import type { Op, Plan } from '../../../reconciler/core/change.js';
import type { Host } from '../../../reconciler/host/host.js';
import type { SourceText } from '../../../reconciler/load/index.js';
import { loadAndPlan } from '../../../reconciler/pipeline.js';
import { scstDriver } from '../index.js';

export const DRIVERS = [scstDriver];

/** plans a YAML text against the host; throws with the diagnostics when the file is invalid. */
export async function planYaml(a: {
  host: Host;
  yaml: string | SourceText[];
  node?: string;
  env?: NodeJS.ProcessEnv;
  allow?: string[];
}): Promise<Plan> {
  const out = await loadAndPlan({
    texts: typeof a.yaml === 'string' ? [{ file: 'sanform.yaml', text: a.yaml }] : a.yaml,
    host: a.host,
    drivers: DRIVERS,
    node: a.node ?? 'esos-sim',
    env: a.env,
    allow: a.allow,
  });
  if (!out.ok) throw new Error(`invalid test YAML: ${JSON.stringify(out.diagnostics, null, 1)}`);
  return out.plan;
}

export type SecretValue = (name: string) => Promise<string>;

/** runs every op of a plan in order (secret tokens resolved by `secret`); stops at the first error. */
export async function applyDirect(host: Host, plan: Plan, secret: SecretValue = async (n) => `missing-secret-${n}`): Promise<void> {
  for (const c of plan.changes) for (const op of c.ops) await runOp(host, op, secret);
}

async function runOp(host: Host, op: Op, secret: SecretValue): Promise<void> {
  const resolve = async (s: string): Promise<string> => {
    let out = s;
    for (const m of s.matchAll(/\{\{secret:([^}]+)\}\}/g)) out = out.replace(m[0], await secret(m[1]));
    return out;
  };
  if (op.type === 'mgmt') await host.sysfs.mgmt(op.path, await resolve(op.command));
  else if (op.type === 'write') await host.sysfs.writeAttr(op.path, await resolve(op.value));
}
