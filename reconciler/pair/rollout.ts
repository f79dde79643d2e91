/**
 * Standby-first rollout of an HA pair (DESIGN §5, "Beyond one server"): plan both nodes, apply the
 * standby node, check the health gates (the standby's apply succeeded; every driver's gate: DRBD
 * connected and UpToDate on both sides, the standby's targets enabled), and only then apply the
 * active node. A failed gate stops the rollout with the active node untouched.
 */
import type { Plan } from '../core/change.js';
import type { Driver, GateFinding } from '../core/driver.js';
import { SanformError } from '../core/errors.js';
import type { Snapshot } from '../core/resource.js';
import type { Host } from '../host/host.js';
import type { ApplyResult } from '../apply/index.js';
import { applyPlan, loadAndPlan, type PlanOutcome } from '../pipeline.js';
import type { SanformModel } from '../../schema/model.js';

export type NodePlan = Extract<PlanOutcome, { ok: true }> & { role: 'active' | 'standby'; why: string };

/** The file does not describe a pair, or a node's host cannot be reached the way it says. */
export class PairError extends SanformError<'PAIR_INVALID' | 'PAIR_HOST_UNSUPPORTED', { node?: string }> {}

/** The file's two nodes, or PAIR_INVALID. */
export function pairNodes(model: SanformModel): [string, string] {
  const names = Object.keys(model.nodes ?? {});
  if (names.length !== 2) throw new PairError('PAIR_INVALID', `--pair needs a file with two nodes (it has ${names.length})`, { data: {}, hint: 'declare both nodes under nodes:' });
  return [names[0]!, names[1]!];
}

const primaryRole = (snap: Snapshot, kind: string): boolean =>
  [...snap.resources.values()].some((r) => r.kind === kind && (r.spec as { role?: string }).role === 'primary');

/**
 * Which node serves: the one Pacemaker promoted (crm_mon), else the one whose DRBD resources are
 * Primary, else the one the file declares primary, else the first node.
 */
export function activeNode(model: SanformModel, nodes: [string, string], observed: Record<string, Snapshot>): { node: string; why: string } {
  for (const n of nodes) {
    const promoted = [...(observed[n]?.resources.values() ?? [])].filter((r) => r.kind === 'pacemaker.promoted').flatMap((r) => (r.spec as { nodes: string[] }).nodes);
    if (promoted.length > 0) return { node: promoted[0]!, why: 'promoted by Pacemaker' };
  }
  for (const n of nodes) if (primaryRole(observed[n]!, 'drbd.resource')) return { node: n, why: 'its DRBD resources are Primary' };
  for (const d of Object.values(model.storage?.drbd ?? {})) {
    const p = Object.entries(d.nodes).find(([, x]) => x.role === 'primary');
    if (p && nodes.includes(p[0])) return { node: p[0], why: 'declared primary in the file' };
  }
  return { node: nodes[0], why: 'the first node of the file' };
}

export interface PairPlanRequest {
  config: string;
  drivers: readonly Driver[];
  hosts: Record<string, Host>;
  allow?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

/** Plans both nodes (standby first in the result), or the diagnostics of the first that failed. */
export async function planPair(req: PairPlanRequest, model: SanformModel): Promise<{ ok: true; plans: NodePlan[] } | { ok: false; outcome: PlanOutcome }> {
  const nodes = pairNodes(model);
  const outcomes: Record<string, Extract<PlanOutcome, { ok: true }>> = {};
  for (const n of nodes) {
    const r = await loadAndPlan({ config: req.config, host: req.hosts[n], drivers: req.drivers, node: n, allow: req.allow, env: req.env });
    if (!r.ok) return { ok: false, outcome: r };
    outcomes[n] = r;
  }
  const active = activeNode(model, nodes, Object.fromEntries(nodes.map((n) => [n, outcomes[n]!.observed])));
  const standby = nodes.find((n) => n !== active.node)!;
  return {
    ok: true,
    plans: [
      { ...outcomes[standby]!, role: 'standby', why: `${active.node} is active (${active.why})` },
      { ...outcomes[active.node]!, role: 'active', why: active.why },
    ],
  };
}

export interface RolloutStep {
  node: string;
  role: 'active' | 'standby';
  plan: Plan;
  result?: ApplyResult;
}

export interface Rollout {
  /** every step applied cleanly. */
  ok: boolean;
  steps: RolloutStep[];
  /** set when a gate failed: the active node, left untouched, and the findings. */
  stoppedBefore?: string;
  failed?: GateFinding[];
}

/** Runs the rollout of two planned nodes: standby, gates, active. */
export async function rollout(o: {
  plans: NodePlan[];
  hosts: Record<string, Host>;
  drivers: readonly Driver[];
  gateTimeoutMs: number;
  onStep?: (s: RolloutStep) => void;
  /** plans the active node again once the gates passed (the standby's apply moved what it sees: the DRBD peer, the cluster). */
  replan: (p: NodePlan) => Promise<NodePlan>;
}): Promise<Rollout> {
  const [standby, planned] = o.plans as [NodePlan, NodePlan];
  let active = planned;
  const steps: RolloutStep[] = [];
  const run = async (p: NodePlan): Promise<RolloutStep> => {
    const step: RolloutStep = { node: p.node, role: p.role, plan: p.plan };
    if (p.plan.changes.length > 0) step.result = await applyPlan({ host: o.hosts[p.node]!, plan: p.plan, drivers: o.drivers, secrets: p.secrets });
    steps.push(step);
    o.onStep?.(step);
    return step;
  };
  const first = await run(standby);
  const failed: GateFinding[] = [];
  if (first.result && !first.result.ok) failed.push({ gate: 'standby-apply', why: `${standby.node}: ${first.result.counts.failed} change(s) failed, ${first.result.counts.skipped} skipped` });
  if (standby.plan.blocked.length > 0) failed.push({ gate: 'standby-apply', why: `${standby.node}: ${standby.plan.blocked.length} change(s) blocked` });
  if (failed.length === 0) {
    for (const d of o.drivers) {
      if (!d.gate) continue;
      failed.push(...(await d.gate({ host: o.hosts[standby.node]!, node: standby.node, desired: standby.desired, before: active.observed, timeoutMs: o.gateTimeoutMs })));
    }
  }
  if (failed.length > 0) return { ok: false, steps, stoppedBefore: active.node, failed };
  active = await o.replan(active);
  if (active.plan.blocked.length > 0) return { ok: false, steps, stoppedBefore: active.node, failed: [{ gate: 'active-plan', why: `${active.node}: ${active.plan.blocked.length} change(s) blocked after re-planning` }] };
  const second = await run(active);
  return { ok: !second.result || second.result.ok, steps };
}
