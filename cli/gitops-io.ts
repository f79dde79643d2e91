/**
 * Shared plumbing of the GitOps commands (init, log, watch, rollback, hook, and the git parts of
 * plan/apply): which repo, which host, which node, and the context the reconciler's GitOps flows
 * run in. Parsing and wiring only; the logic lives in reconciler/state and reconciler/watch.
 */
import { hostname as osHostname } from 'node:os';
import { resolve } from 'node:path';
import type { CommandIO, ParsedArgs } from './command.js';
import { drivers } from './drivers.js';
import { interruptedNote, recoveredNote } from './apply-report.js';
import { diagnosticsText, logger, readSnapshotFile, seconds, str } from './engine-io.js';
import { openHost } from './host.js';
import { warnUnmatchedAllows } from './usage.js';
import { SanformError } from '../reconciler/core/errors.js';
import type { Host } from '../reconciler/host/host.js';
import type { Snapshot } from '../reconciler/core/resource.js';
import { renderText } from '../reconciler/render/index.js';
import { lastGoodRevision, lastSnapshot } from '../reconciler/state/history.js';
import { applyRevision } from '../reconciler/watch/converge.js';
import { repoSettings } from '../reconciler/state/init.js';
import { DESIRED_REF, openStore } from '../reconciler/state/store.js';
import { gitopsContext } from '../reconciler/watch/context.js';
import { pipelineEngine } from '../reconciler/watch/engine.js';
import type { ScheduledReport } from '../reconciler/watch/types.js';
import type { SanformModel } from '../schema/model.js';
import { planSets, runSteps, setsFor } from '../drivers/snapshot/sets.js';
import { setGauges } from '../drivers/snapshot/metrics.js';
import type { ApplyReport, GitopsContext } from '../reconciler/watch/types.js';

/** `--repo PATH`, else SANFORM_REPO, else GIT_DIR (inside a hook). */
export function repoPath(a: ParsedArgs, io: CommandIO): string {
  const p = str(a, 'repo') ?? io.env.SANFORM_REPO ?? io.env.GIT_DIR;
  if (!p) {
    throw new SanformError('USAGE', 'no state repository given', { hint: 'pass --repo PATH or set SANFORM_REPO' });
  }
  return resolve(io.cwd, p);
}


export interface Gitops {
  repo: string;
  host: Host;
  node: string;
  ctx: GitopsContext;
  close(): Promise<void>;
}

/**
 * Opens repo, host (--host, else the repo's sanform.host, else local) and node (--node, else the
 * repo's sanform.node, else the host name), and builds the GitOps context. `upstream`: the
 * fleet repository to pull from (`''`: the repo's sanform.upstream, if any).
 */
export async function openGitops(a: ParsedArgs, io: CommandIO, opts: { repo?: string; quarantine?: string; upstream?: string; alertsFromPlan?: boolean } = {}): Promise<Gitops> {
  const repo = opts.repo ?? repoPath(a, io);
  const settings = await repoSettings(await openStore(repo));
  const host = await openHost(str(a, 'host') ?? settings.host ?? 'local', { cwd: io.cwd });
  const node = str(a, 'node') ?? settings.node ?? (await host.hostname().catch(() => osHostname()));
  const log = logger(a, io);
  const scheduled = async (model: SanformModel): Promise<ScheduledReport> => {
    const sets = setsFor(model, node);
    const done = await runSteps(host, await planSets(host, sets, new Date()));
    const gauges = await setGauges(host, sets, new Date());
    const failed = new Set(done.flatMap((d) => (d.error ? [d.set] : [])));
    return {
      lines: done.flatMap((d) => d.lines.map((l) => `snapshot set ${d.set}: ${l}`)),
      errors: [
        ...done.flatMap((d) => (d.error ? [`snapshot set ${d.set}: ${d.error}`] : [])),
        // a failed send is said above; a peer falling behind without one is said here
        ...gauges.flatMap((g) => (g.lagging && !failed.has(g.set) ? [`snapshot set ${g.set}: replication lags: ${g.lagging}`] : [])),
      ],
      gauges: gauges.map(({ lagging: _l, ...g }) => g),
    };
  };
  const timeout = str(a, 'lock-timeout');
  const engine = pipelineEngine({ host, drivers, node, env: io.env, scheduled, ...(timeout ? { lockTimeoutMs: seconds(timeout, 30) * 1000 } : {}) });
  const ctx = await gitopsContext({ repo, node, hostId: host.id, stateDir: host.stateDir, engine, logger: log, lockFile: settings.lockFile, alertsFromPlan: opts.alertsFromPlan });
  if (opts.upstream !== undefined) ctx.upstream = opts.upstream || settings.upstream;
  return {
    repo, host, node, ctx,
    async close() {
      await ctx.alerter.close();
      await host.close?.();
    },
  };
}

/** The text the pusher or operator sees after an apply. */
export function applyReportText(r: ApplyReport): string {
  const lines: string[] = [];
  if (r.recovered) lines.push(recoveredNote(r.recovered).trimEnd());
  if (r.status === 'invalid') {
    lines.push(`sanform: revision ${r.revision.slice(0, 12)} is invalid; nothing applied:`);
    return `${lines.join('\n')}\n${diagnosticsText(r.diagnostics ?? [], { warnings: 'count' })}`;
  }
  const res = r.result!;
  if (res.interrupted) lines.push(interruptedNote(res.interrupted).trimEnd());
  for (const x of res.results) {
    if (x.status === 'failed') lines.push(`failed:  ${x.action} ${x.address}: ${x.error?.errno ?? x.error?.code}: ${x.error?.message}`);
    if (x.status === 'skipped') lines.push(`skipped: ${x.action} ${x.address} (waits for ${x.skippedBecause})`);
  }
  for (const b of res.blocked) lines.push(`blocked: ${b.action} ${b.address}: ${b.hint}`);
  const c = res.counts;
  lines.push(`sanform ${r.kind} of ${r.revision.slice(0, 12)}: ${r.status}; ${c.applied} applied, ${c.failed} failed, ${c.skipped} skipped, ${c.blocked} blocked (${r.durationMs} ms).`);
  if (r.record?.ok) lines.push(`Recorded as ${r.record.oid} on ${r.record.ref}.`);
  else if (r.record) lines.push(`WARNING: the record could not be written (${r.record.error?.code}: ${r.record.error?.message}); it is pending and will be retried.`);
  return `${lines.join('\n')}\n`;
}

/**
 * `--observed git:<node>`: the node's last recorded snapshot from the state repo (--repo or
 * SANFORM_REPO), so CI plans with no access to the machine; any other value is a snapshot file.
 */
export async function observedSnapshot(spec: string, a: ParsedArgs, io: CommandIO): Promise<Snapshot> {
  if (!spec.startsWith('git:')) return readSnapshotFile(spec, io);
  const store = await openStore(repoPath(a, io));
  const node = spec.slice(4) || (await repoSettings(store)).node;
  if (!node) throw new SanformError('USAGE', '--observed git: needs a node name', { hint: 'use --observed git:NODE' });
  const last = await lastSnapshot(store, node);
  io.stderr.write(`Planning against the state ${node} recorded in ${last.commit.slice(0, 12)} (${last.meta.kind}, ${last.meta.finishedAt ?? 'unknown time'}).\n`);
  return last.snapshot;
}

/**
 * `apply --boot` (converge the kernel to the last successfully applied revision; main when none)
 * and `apply --repo PATH` (apply main): plan, apply and record through the state repo.
 */
export async function gitopsApply(a: ParsedArgs, io: CommandIO): Promise<number> {
  const boot = a.values.boot === true;
  if (!boot && a.values['auto-approve'] !== true) {
    io.stderr.write('sanform apply --repo: applies main without asking; pass --auto-approve to confirm.\n');
    return 1;
  }
  // apply of main loads main once: the plan's model gives the alert sinks too
  const g = await openGitops(a, io, { alertsFromPlan: !boot });
  try {
    const store = await openStore(g.repo);
    const rev = boot ? ((await lastGoodRevision(store, g.node)) ?? DESIRED_REF) : DESIRED_REF;
    if (boot) io.stderr.write(`sanform: boot: converging ${g.host.id} to ${rev === DESIRED_REF ? 'main (no earlier apply recorded)' : rev.slice(0, 12)}\n`);
    const allow = Array.isArray(a.values.allow) ? a.values.allow : [];
    const r = await applyRevision(g.ctx, { rev, kind: boot ? 'boot' : 'apply', allow });
    if (r.plan) warnUnmatchedAllows({ cmd: 'apply', plan: r.plan, allow, io });
    if (r.plan) io.stdout.write(renderText(r.plan));
    io.stdout.write(applyReportText(r));
    return r.status === 'applied' ? 0 : 1;
  } finally {
    await g.close();
  }
}
