import type { Command, CommandIO } from '../command.js';
import { applyReportText, openGitops, repoPath } from '../gitops-io.js';
import { diagnosticsText } from '../engine-io.js';
import { renderText } from '../../reconciler/render/index.js';
import { applyRevision } from '../../reconciler/watch/converge.js';
import { runningWatch } from '../../reconciler/watch/pidfile.js';
import { awaitRecord, checkPush, parseRefUpdates, type PushVerdict, type RefUpdate } from '../../reconciler/watch/push.js';
import { DESIRED_REF } from '../../reconciler/state/store.js';
import type { Blocked } from '../../reconciler/core/change.js';
import { SanformError } from '../../reconciler/core/errors.js';
import { forwardedBy } from '../../reconciler/pair/forward.js';
import { readDesired } from '../../reconciler/state/desired.js';
import { openStore } from '../../reconciler/state/store.js';
import { loadDesiredTexts, type SourceText } from '../../reconciler/load/index.js';
import type { SanformModel } from '../../schema/model.js';

async function readAll(s: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of s) text += String(chunk);
  return text;
}

function verdictText(v: PushVerdict): string {
  if (v.accept) {
    const head = v.note ? `sanform: ${v.ref}: ${v.note}\n` : `sanform: ${v.ref} at ${v.revision?.slice(0, 12)} is valid; it will be applied after the push:\n`;
    const warn = diagnosticsText(v.warnings, { warnings: 'full' });
    return head + warn + (v.plan ? renderText(v.plan) : '');
  }
  if (v.reason === 'forbidden' || v.reason === 'unsigned') return `sanform: push rejected: ${v.note}\n`;
  if (v.reason === 'invalid') {
    return [
      `sanform: push rejected: ${v.revision.slice(0, 12)} is not a valid desired state (${v.diagnostics.filter((d) => d.severity === 'error').length} error(s)):`,
      diagnosticsText(v.diagnostics, { warnings: 'full' }),
    ].join('\n');
  }
  const impossible = v.plan.blocked.filter((b) => b.unavailable !== undefined);
  const unapproved = v.plan.blocked.filter((b) => b.unavailable === undefined);
  const line = (b: Blocked) => `  ${b.action} ${b.address}${b.blockedBy ? ` (depends on blocked ${b.blockedBy})` : ` [${b.because.map((i) => i.class).join(', ')}]`}`;
  return [
    ...(impossible.length === 0
      ? []
      : [
          `sanform: push rejected: ${impossible.length} change(s) cannot be made on this machine:`,
          ...impossible.map((b) => (b.blockedBy ? line(b) : `  ${b.action} ${b.address}: ${b.unavailable}\n    hint: ${b.hint}`)),
        ]),
    ...(unapproved.length === 0
      ? []
      : [
          `sanform: push rejected: ${unapproved.length} change(s) need an approval the commit does not carry:`,
          ...unapproved.map(line),
          'Add an entry per address to policy.approvals in sanform.yaml, e.g.:',
          ...unapproved.filter((b) => !b.blockedBy).slice(0, 3).map((b) => `  - { address: ${b.address}, action: ${b.action}, reason: "..." }`),
        ]),
    '',
  ].join('\n');
}

async function postReceive(args: Parameters<Command['run']>[0], io: CommandIO, main: RefUpdate): Promise<number> {
  const from = forwardedBy(io.env);
  if (from) {
    // the other node of the pair forwarded this commit before its rollout, which applies this node too
    io.stdout.write(`sanform: main at ${main.new.slice(0, 12)} was forwarded by ${from}'s pair rollout; ${from} applies this node\n`);
    return 0;
  }
  const g = await openGitops(args, io);
  try {
    const pair = await pairAt(g.repo, main.new, g.node);
    if (pair) {
      try {
        return await (await import('../pair.js')).pairPostReceive({ io, repo: g.repo, node: g.node, host: g.host, revision: main.new, model: pair.model, files: pair.files, args });
      } catch (e) {
        if (!(e instanceof SanformError)) throw e;
        io.stdout.write(`sanform: error ${e.code}: ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ''}sanform: nothing was applied.\n`);
        return 1;
      }
    }
    const watcher = runningWatch(g.host.stateDir);
    if (watcher) {
      io.stdout.write(`sanform: handed ${main.new.slice(0, 12)} to the watch daemon (pid ${watcher}); waiting for its record...\n`);
      const rec = await awaitRecord({ repo: g.repo, node: g.node, revision: main.new, timeoutMs: 120_000 });
      if (!rec) io.stdout.write('sanform: no record yet; see `sanform log` on the appliance.\n');
      else io.stdout.write(`sanform: ${rec.meta.kind} ${rec.meta.ok ? 'ok' : 'FAILED'}: ${rec.meta.counts.applied} applied, ${rec.meta.counts.failed} failed, ${rec.meta.counts.skipped} skipped, ${rec.meta.counts.blocked} blocked; record ${rec.commit}\n`);
      return rec?.meta.ok ? 0 : 1;
    }
    const r = await applyRevision(g.ctx, { rev: main.new, kind: 'apply' });
    if (r.plan) io.stdout.write(renderText(r.plan));
    io.stdout.write(applyReportText(r));
    return r.status === 'applied' ? 0 : 1;
  } finally {
    await g.close();
  }
}

/** The desired state at `rev` when it describes a pair (two nodes, this one among them); else undefined. */
async function pairAt(repo: string, rev: string, node: string): Promise<{ model: SanformModel; files: SourceText[] } | undefined> {
  const d = await readDesired(await openStore(repo), rev, node);
  if (d.files.length === 0) return undefined;
  const loaded = await loadDesiredTexts(d.files);
  if (!loaded.ok || Object.keys(loaded.model.nodes ?? {}).length !== 2 || !loaded.model.nodes?.[node]) return undefined;
  return { model: loaded.model, files: d.files };
}

export const hookCommand = {
  name: 'hook',
  summary: 'run a git hook of the state repository (called by the hooks init installs)',
  usage: `Usage: sanform hook pre-receive|post-receive   (ref updates on stdin, as git passes them)

pre-receive: loads, validates and plans a pushed main against the live host; rejects the push with
file:line:col diagnostics, or with the addresses of changes that need an approval they lack.
post-receive: applies the pushed main and records it (or hands it to a running 'sanform watch'),
printing the plan and the outcome to the pusher. On an HA pair (two nodes, this repository's node
one of them) it first forwards the commit to the peer's state repository (nodes.PEER.repo, git
CLI), then rolls the pair out standby first behind the health gates (as apply --pair) and records
each node's apply on refs/sanform/<node>/applied; a peer repository that does not take the commit
stops it with nothing applied (PAIR_REPO_BEHIND). A push forwarded by the peer is not applied
here: the peer's rollout applies this node.
The repository is $GIT_DIR (set by git); host and node come from its config (sanform init).

Exit codes: 0 accept/applied, 1 reject/failed.
`,
  positionals: true,
  options: { repo: { type: 'string' } },
  async run(args, io) {
    const which = args.positionals[0];
    if (which !== 'pre-receive' && which !== 'post-receive') {
      io.stderr.write('sanform hook: expected pre-receive or post-receive\n');
      return 1;
    }
    const updates = parseRefUpdates(await readAll(io.stdin));
    if (which === 'post-receive') {
      const main = updates.find((u) => u.ref === DESIRED_REF && !/^0+$/.test(u.new));
      return main ? postReceive(args, io, main) : 0;
    }
    const repo = repoPath(args, io);
    const g = await openGitops(args, io, { repo });
    try {
      const verdicts = await checkPush({ repo, quarantine: io.env.GIT_QUARANTINE_PATH, engine: g.ctx.engine, node: g.node, updates });
      for (const v of verdicts) io.stdout.write(verdictText(v));
      return verdicts.every((v) => v.accept) ? 0 : 1;
    } finally {
      await g.close();
    }
  },
} satisfies Command;
