/**
 * `plan --pair` and `apply --pair`: both nodes of an HA pair, reached through `nodes.NAME.host`
 * (`sim:DIR`, relative to the file; `local`; `--host` stands for the node named by `--node`),
 * shown badged per node, applied standby first behind health gates (reconciler/pair/rollout.ts).
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { SanformError } from '../reconciler/core/errors.js';
import type { CommandIO, ParsedArgs } from './command.js';
import { drivers } from './drivers.js';
import { configPath, flag, list, printDiagnostics, seconds, str, useColor } from './engine-io.js';
import { openHost } from './host.js';
import { applyReport } from './apply-report.js';
import { approved } from './confirm.js';
import { loadDesired } from '../reconciler/load/index.js';
import { loadAndPlan } from '../reconciler/pipeline.js';
import type { Host } from '../reconciler/host/host.js';
import { PairError, pairNodes, planPair, rollout, type NodePlan } from '../reconciler/pair/rollout.js';
import { renderCommands, renderMarkdown, renderText } from '../reconciler/render/index.js';
import type { SanformModel } from '../schema/model.js';

/** `--node-host NAME=SPEC` (repeatable): how to reach each named node, overriding nodes.NAME.host. */
function nodeHosts(args: ParsedArgs, nodes: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of list(args, 'node-host')) {
    const eq = v.indexOf('=');
    const [name, spec] = eq > 0 ? [v.slice(0, eq), v.slice(eq + 1)] : ['', ''];
    if (!name || !spec) throw new SanformError('USAGE', `--node-host ${v}: expected NAME=SPEC (esos-b=ssh:esos-b, esos-a=sim:a)`, { data: { option: 'node-host' } });
    if (!nodes.includes(name)) throw new SanformError('USAGE', `--node-host ${v}: ${name} is not a node of this pair (${nodes.join(', ')})`, { data: { option: 'node-host' } });
    out.set(name, spec);
  }
  return out;
}

/** Where relative `sim:DIR` hosts of the file are taken from: the directory of the file, or the config directory itself. */
const fileBase = (config: string): string => (statSync(config, { throwIfNoEntry: false })?.isDirectory() ? config : dirname(config));

async function openPairHosts(args: ParsedArgs, io: CommandIO, model: SanformModel, config: string): Promise<Record<string, Host>> {
  const hosts: Record<string, Host> = {};
  const nodes = pairNodes(model);
  const byOption = nodeHosts(args, nodes);
  for (const n of nodes) {
    const given = byOption.get(n) ?? (str(args, 'node') === n ? str(args, 'host') : undefined);
    const spec = given ?? model.nodes?.[n]?.host;
    if (!spec) throw new PairError('PAIR_INVALID', `node ${n} has no host: set nodes.${n}.host (ssh:HOST or sim:DIR)`, { data: { node: n }, hint: `or pass --node-host ${n}=SPEC` });
    if (spec.startsWith('ssh:')) {
      throw new PairError('PAIR_HOST_UNSUPPORTED', `node ${n}: ${spec}: running sanform on the peer over ssh is not supported yet`, {
        data: { node: n }, hint: `run the rollout where both nodes are reachable as sim:DIR or local, or apply each node by hand, standby first`,
      });
    }
    hosts[n] = await openHost(spec, { cwd: given ? io.cwd : fileBase(config) });
  }
  return hosts;
}

const badge = (p: NodePlan): string => `== ${p.node} (${p.role}${p.role === 'standby' ? ', applied first' : ''}; ${p.why}) ==`;

/** Loads the file, opens both hosts and plans both nodes; undefined (diagnostics printed) on error. */
async function prepare(args: ParsedArgs, io: CommandIO): Promise<{ plans: NodePlan[]; hosts: Record<string, Host> } | undefined> {
  const config = configPath(args, io);
  const loaded = await loadDesired(config);
  if (!loaded.ok) {
    printDiagnostics(loaded.diagnostics, io, { warnings: 'full' });
    return undefined;
  }
  const hosts = await openPairHosts(args, io, loaded.model, config);
  const r = await planPair({ config, drivers, hosts, allow: list(args, 'allow'), env: io.env }, loaded.model);
  if (!r.ok) {
    printDiagnostics(r.outcome.diagnostics, io, { warnings: 'full' });
    await closeAll(hosts);
    return undefined;
  }
  return { plans: r.plans, hosts };
}

const closeAll = async (hosts: Record<string, Host>) => {
  for (const h of Object.values(hosts)) await h.close?.();
};

export async function planPairCommand(args: ParsedArgs, io: CommandIO): Promise<number> {
  const got = await prepare(args, io);
  if (!got) return 1;
  try {
    for (const p of got.plans) {
      if (flag(args, 'markdown')) io.stdout.write(`${renderMarkdown({ ...p.plan, node: `${p.node} (${p.role}${p.role === 'standby' ? ', applied first' : ''})` })}\n`);
      else {
        io.stdout.write(`${badge(p)}\n${renderText(p.plan, { color: useColor(io) })}\n`);
        if (flag(args, 'commands')) io.stdout.write(`${renderCommands(p.plan, { fingerprint: (n) => p.secrets.fingerprint(n) })}\n`);
      }
    }
    const changed = got.plans.some((p) => p.plan.changes.length + p.plan.blocked.length > 0);
    return flag(args, 'detailed-exitcode') && changed ? 2 : 0;
  } finally {
    await closeAll(got.hosts);
  }
}

export async function applyPairCommand(args: ParsedArgs, io: CommandIO): Promise<number> {
  const got = await prepare(args, io);
  if (!got) return 1;
  try {
    for (const p of got.plans) io.stdout.write(`${badge(p)}\n${renderText(p.plan, { color: useColor(io) })}\n`);
    if (got.plans.every((p) => p.plan.changes.length === 0)) return got.plans.some((p) => p.plan.blocked.length > 0) ? 1 : 0;
    if (!(await approved({ io, autoApprove: flag(args, 'auto-approve') }))) return 1;
    const r = await rollout({
      plans: got.plans, hosts: got.hosts, drivers, gateTimeoutMs: seconds(str(args, 'gate-timeout'), 300) * 1000,
      onStep: (s) => io.stdout.write(`== ${s.node} (${s.role}) ==\n${s.result ? applyReport(s.result) : 'nothing to apply\n'}`),
      replan: async (p) => {
        const r = await loadAndPlan({ config: configPath(args, io), host: got.hosts[p.node], drivers, node: p.node, allow: list(args, 'allow'), env: io.env });
        if (!r.ok) throw new PairError('PAIR_INVALID', `${p.node}: re-planning after the standby failed`, { data: { node: p.node } });
        const again: NodePlan = { ...r, role: p.role, why: p.why };
        if (renderText(again.plan) !== renderText(p.plan)) io.stdout.write(`${badge(again)} re-planned after the standby:\n${renderText(again.plan, { color: useColor(io) })}\n`);
        return again;
      },
    });
    if (r.failed?.length) {
      io.stdout.write(`Rollout stopped before ${r.stoppedBefore} (active, untouched): health gate failed\n`);
      for (const f of r.failed) io.stdout.write(`  gate ${f.gate}: ${f.why}\n`);
      return 1;
    }
    io.stdout.write(r.ok ? 'Pair rollout complete: standby then active.\n' : 'Pair rollout incomplete: the active node had failures.\n');
    return r.ok ? 0 : 1;
  } finally {
    await closeAll(got.hosts);
  }
}
