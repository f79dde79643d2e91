/**
 * `plan --pair` and `apply --pair`: both nodes of an HA pair, reached through `nodes.NAME.host`
 * (`sim:DIR`, relative to the file; `local`; `--host` stands for the node named by `--node`),
 * shown badged per node, applied standby first behind health gates (reconciler/pair/rollout.ts).
 */
import { statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
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
import { PairError, pairNodes, planPair, rollout, type NodePlan, type Rollout } from '../reconciler/pair/rollout.js';
import { forwardRevision } from '../reconciler/pair/forward.js';
import { recordSafely } from '../reconciler/state/pending.js';
import { outcomeOf } from '../reconciler/watch/converge.js';
import { startObserve } from '../reconciler/snapshot/observe.js';
import type { SourceText } from '../reconciler/load/types.js';
import type { ApplyResult } from '../reconciler/apply/index.js';
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

/**
 * Opens each node's host: `--node-host`, `--node N --host SPEC`, else `nodes.N.host` (relative
 * `sim:` paths from `base`); a node in `opened` is already open (the hook's own machine).
 */
async function openPairHosts(args: ParsedArgs, io: CommandIO, model: SanformModel, base: string, opened: Record<string, Host> = {}): Promise<Record<string, Host>> {
  const hosts: Record<string, Host> = { ...opened };
  const nodes = pairNodes(model);
  const byOption = nodeHosts(args, nodes);
  for (const n of nodes) {
    if (hosts[n]) continue;
    const given = byOption.get(n) ?? (str(args, 'node') === n ? str(args, 'host') : undefined);
    const spec = given ?? model.nodes?.[n]?.host;
    if (!spec) throw new PairError('PAIR_INVALID', `node ${n} has no host: set nodes.${n}.host (ssh:HOST or sim:DIR)`, { data: { node: n }, hint: `or pass --node-host ${n}=SPEC` });
    if (spec.startsWith('ssh:')) {
      throw new PairError('PAIR_HOST_UNSUPPORTED', `node ${n}: ${spec}: running sanform on the peer over ssh is not supported yet`, {
        data: { node: n }, hint: `run the rollout where both nodes are reachable as sim:DIR or local, or apply each node by hand, standby first`,
      });
    }
    hosts[n] = await openHost(spec, { cwd: given ? io.cwd : base });
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
  const hosts = await openPairHosts(args, io, loaded.model, fileBase(config));
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
    const r = await runRollout({ config: configPath(args, io), plans: got.plans, hosts: got.hosts, io, allow: list(args, 'allow'), gateTimeoutMs: seconds(str(args, 'gate-timeout'), 300) * 1000 });
    return r.ok ? 0 : 1;
  } finally {
    await closeAll(got.hosts);
  }
}

/** Runs the rollout of planned nodes and reports it on stdout: each step, the gates, the end. */
async function runRollout(o: { config: string; plans: NodePlan[]; hosts: Record<string, Host>; io: CommandIO; allow: string[]; gateTimeoutMs: number }): Promise<Rollout> {
  const { io } = o;
  const r = await rollout({
    plans: o.plans, hosts: o.hosts, drivers, gateTimeoutMs: o.gateTimeoutMs,
    onStep: (s) => io.stdout.write(`== ${s.node} (${s.role}) ==\n${s.result ? applyReport(s.result) : 'nothing to apply\n'}`),
    replan: async (p) => {
      const r = await loadAndPlan({ config: o.config, host: o.hosts[p.node], drivers, node: p.node, allow: o.allow, env: io.env });
      if (!r.ok) throw new PairError('PAIR_INVALID', `${p.node}: re-planning after the standby failed`, { data: { node: p.node } });
      const again: NodePlan = { ...r, role: p.role, why: p.why };
      if (renderText(again.plan) !== renderText(p.plan)) io.stdout.write(`${badge(again)} re-planned after the standby:\n${renderText(again.plan, { color: useColor(io) })}\n`);
      return again;
    },
  });
  if (r.failed?.length) {
    io.stdout.write(`Rollout stopped before ${r.stoppedBefore} (active, untouched): health gate failed\n`);
    for (const f of r.failed) io.stdout.write(`  gate ${f.gate}: ${f.why}\n`);
  } else {
    io.stdout.write(r.ok ? 'Pair rollout complete: standby then active.\n' : 'Pair rollout incomplete: the active node had failures.\n');
  }
  return r;
}

/**
 * The post-receive hook of one node of a pair: forwards the pushed revision to the peer's state
 * repository (`nodes.PEER.repo`, git CLI), then rolls the pair out (standby first, gates, active)
 * and records each node's apply on `refs/sanform/<node>/applied` of this repository. A peer
 * whose repository does not take the revision stops everything before either node is touched.
 */
export async function pairPostReceive(o: { io: CommandIO; repo: string; node: string; host: Host; revision: string; model: SanformModel; files: SourceText[]; args: ParsedArgs }): Promise<number> {
  const { io } = o;
  const peer = pairNodes(o.model).find((n) => n !== o.node);
  if (!peer || !o.model.nodes?.[o.node]) throw new PairError('PAIR_INVALID', `this repository's node ${o.node} is not a node of the pair (${Object.keys(o.model.nodes ?? {}).join(', ')})`, { data: { node: o.node }, hint: 'set sanform.node in the repository config to one of the file\'s nodes' });
  const url = o.model.nodes?.[peer]?.repo;
  if (!url) {
    throw new PairError('PAIR_INVALID', `nodes.${peer}.repo is not set: the pushed revision cannot be forwarded to ${peer}'s state repository`, {
      data: { node: peer }, hint: `set nodes.${peer}.repo to the peer's bare repository as git reaches it from ${o.node} (ssh://${peer}/PATH, or a path)`,
    });
  }
  const peerUrl = /^[a-z]+:\/\/|^[^/]+:/.test(url) ? url : resolve(o.repo, url);
  const { before } = await forwardRevision({ gitdir: o.repo, url: peerUrl, node: peer, from: o.node, revision: o.revision, env: io.env });
  io.stdout.write(before === o.revision
    ? `sanform: ${peer}'s state repository already has ${o.revision.slice(0, 12)}\n`
    : `sanform: ${peer}'s state repository was behind (main at ${before?.slice(0, 12) ?? 'none'}); forwarded ${o.revision.slice(0, 12)}\n`);

  const dir = await mkdtemp(join(tmpdir(), 'sanform-pair-rev-'));
  const hosts = await openPairHosts(o.args, io, o.model, o.repo, { [o.node]: o.host });
  try {
    for (const f of o.files) {
      await mkdir(dirname(join(dir, f.file)), { recursive: true });
      await writeFile(join(dir, f.file), f.text);
    }
    const planned = await planPair({ config: dir, drivers, hosts, env: io.env }, o.model);
    if (!planned.ok) {
      printDiagnostics(planned.outcome.diagnostics, io, { warnings: 'full' });
      return 1;
    }
    for (const p of planned.plans) io.stdout.write(`${badge(p)}\n${renderText(p.plan)}\n`);
    const startedAt = new Date().toISOString();
    const r = await runRollout({ config: dir, plans: planned.plans, hosts, io, allow: [], gateTimeoutMs: seconds(str(o.args, 'gate-timeout'), 300) * 1000 });
    for (const step of r.steps) {
      const h = hosts[step.node]!;
      // a node with nothing to apply is recorded too: its record says which revision it is at
      const result: ApplyResult = step.result ?? { run: '', ok: step.plan.blocked.length === 0, results: [], executed: [], blocked: step.plan.blocked, counts: { applied: 0, failed: 0, skipped: 0, blocked: step.plan.blocked.length } };
      const rec = await recordSafely({
        repo: o.repo, stateDir: h.stateDir,
        record: {
          kind: 'apply', node: step.node, host: h.id, desiredRevision: o.revision, startedAt, finishedAt: new Date().toISOString(),
          ok: result.ok, run: result.run, plan: step.plan, outcome: outcomeOf(step.plan, result), snapshot: await startObserve(h, drivers).snapshot(step.node),
        },
      });
      io.stdout.write(rec.ok ? `Recorded ${step.node}'s apply as ${rec.oid} on ${rec.ref}.\n` : `WARNING: ${step.node}'s record could not be written (${rec.error?.code}: ${rec.error?.message}); it is pending and will be retried.\n`);
    }
    return r.ok ? 0 : 1;
  } finally {
    for (const [n, h] of Object.entries(hosts)) if (n !== o.node) await h.close?.();
    await rm(dir, { recursive: true, force: true });
  }
}
