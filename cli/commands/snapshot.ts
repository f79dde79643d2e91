import type { Command, CommandIO, ParsedArgs } from '../command.js';
import { approved } from '../confirm.js';
import { configPath, flag, hostFor, nowOption, printDiagnostics, str } from '../engine-io.js';
import { SanformError } from '../../reconciler/core/errors.js';
import type { Host } from '../../reconciler/host/host.js';
import { loadDesired } from '../../reconciler/load/index.js';
import type { SnapshotSetSpec } from '../../schema/model.js';
import { deleteSubvolume, listSnapshots, type Run } from '../../drivers/snapshot/btrfs.js';
import { planSet, setPlanText } from '../../drivers/snapshot/plan.js';
import { replicate, transportFor } from '../../drivers/snapshot/replicate.js';
import { runSetPlan } from '../../drivers/snapshot/run.js';
import { peerCopies, peerDrops, peerRun, setsFor } from '../../drivers/snapshot/sets.js';
import { setMetrics } from '../../drivers/snapshot/metrics.js';
import { snapshotRevert } from './snapshot-revert.js';
import { writeFile, rename } from 'node:fs/promises';
import { resolve } from 'node:path';

const ACTIONS = ['list', 'create', 'prune', 'replicate', 'run', 'revert'] as const;
type Action = (typeof ACTIONS)[number];

interface Ctx {
  host: Host;
  io: CommandIO;
  args: ParsedArgs;
  now: Date;
  run: Run;
}

async function list(c: Ctx, set: string, spec: SnapshotSetSpec): Promise<string> {
  const mine = await listSnapshots(c.run, spec.btrfs);
  const peer = spec.replicate ? await peerCopies(c.host, spec).catch(() => undefined) : undefined;
  const there = new Set((peer ?? []).flatMap((s) => (s.receivedUuid ? [s.receivedUuid] : [])));
  const rows = mine.map((s) => `  ${s.name}  ${Math.round((c.now.getTime() - s.time.getTime()) / 60_000)}m old${spec.replicate ? (peer === undefined ? '  peer unreachable' : there.has(s.uuid) ? '  replicated' : '  not replicated') : ''}`);
  const plan = planSet({ set, spec, existing: mine, now: c.now });
  const textfile = str(c.args, 'textfile');
  if (textfile) {
    const path = resolve(c.io.cwd, textfile);
    await writeFile(`${path}.tmp`, setMetrics({ set, mine, peer, now: c.now }));
    await rename(`${path}.tmp`, path);
  }
  return `snapshot set ${set} (${spec.btrfs}): ${mine.length} snapshot(s)${plan.take ? `, ${plan.take} is due` : ''}\n${rows.join('\n')}${rows.length ? '\n' : ''}`;
}

/** create / prune / run here; the plan is shown first and deletions need approval. */
async function converge(c: Ctx, set: string, spec: SnapshotSetSpec, action: Action): Promise<boolean> {
  const existing = await listSnapshots(c.run, spec.btrfs);
  // prune alone counts only the snapshots there are: it never drops one for a snapshot not taken
  const full = planSet({ set, spec, existing, now: c.now, force: action === 'create' && flag(c.args, 'force'), take: action !== 'prune' });
  const plan = action === 'create' ? { ...full, prune: [] } : full;
  c.io.stdout.write(setPlanText(plan, spec));
  if (plan.prune.length > 0 && !(await approved({ io: c.io, autoApprove: flag(c.args, 'auto-approve'), text: { cmd: `snapshot ${action}`, doing: 'delete the snapshots retention drops', question: `Delete ${plan.prune.length} snapshot(s)?`, cancelled: 'Nothing deleted.' } }))) {
    return false;
  }
  const r = await runSetPlan(c.host, plan, spec);
  if (r.taken) c.io.stdout.write(`took ${r.taken}\n`);
  if (r.pruned.length) c.io.stdout.write(`deleted ${r.pruned.join(', ')}\n`);
  return true;
}

/** Sends what the peer lacks, then applies the peer's own retention there. */
async function toPeer(c: Ctx, set: string, spec: SnapshotSetSpec): Promise<boolean> {
  if (!spec.replicate) {
    c.io.stdout.write(`snapshot set ${set}: no replicate: section, nothing to send\n`);
    return true;
  }
  const to = transportFor(spec.replicate.to);
  const r = await replicate(c.host, { subvolume: spec.btrfs, to, path: spec.replicate.path });
  for (const x of r.cleaned) c.io.stdout.write(`removed ${x} on the peer: a cut transfer had left it incomplete\n`);
  for (const x of r.sent) c.io.stdout.write(`sent ${x.name}${x.parent ? ` (changes since ${x.parent})` : ' (in full)'}: ${x.bytes} bytes\n`);
  if (r.error) {
    c.io.stdout.write(`replication of ${set} failed: ${r.error.message}\nThe peer keeps ${r.newestOnPeer ?? 'nothing'} as its newest complete copy; the next run resumes from there.\n`);
    return false;
  }
  const drop = peerDrops(spec, await peerCopies(c.host, spec));
  if (drop.length === 0) return true;
  c.io.stdout.write(`on the peer, retention drops: ${drop.map((s) => s.name).join(', ')}\n`);
  if (!(await approved({ io: c.io, autoApprove: flag(c.args, 'auto-approve'), text: { cmd: `snapshot ${'replicate'}`, doing: 'delete what the peer\'s retention drops', question: `Delete ${drop.length} snapshot(s) on the peer?`, cancelled: 'Nothing deleted on the peer.' } }))) return false;
  const there = peerRun(c.host, spec)!;
  for (const s of drop) await deleteSubvolume(there, s.path);
  return true;
}

export const snapshotCommand = {
  name: 'snapshot',
  summary: 'take, list, prune and replicate the snapshot sets of storage.snapshots',
  usage: `Usage: sanform snapshot list|create|prune|replicate|run [SET] [-c FILE] [--host local] [options]
       sanform snapshot revert SET SNAPSHOT [--auto-approve]

Works on the sets under storage.snapshots (docs/snapshots.md): read-only btrfs snapshots of a
subvolume, taken beside it as NAME@YYYY-MM-DDTHH:MMZ (the schedule slot, UTC).

  list        each set's snapshots, whether one is due, and which ones the peer holds
  create      take the snapshot whose slot has none (--force: one for this minute anyway),
              with the set's freeze/thaw hooks around it
  prune       delete what the set's retention (keep:) no longer keeps
  replicate   send what the peer lacks, incrementally from the newest snapshot both hold (btrfs
              send -p | receive, over ssh or to a local file system); a copy left incomplete by
              a cut transfer is removed and sent again; then the peer's own retention
  run         create, replicate and prune: what a cron job or timer runs
  revert SET SNAPSHOT
              put the subvolume back to SNAPSHOT under the SCST devices that export its files:
              a safety snapshot first, the devices paused (active=0) around a swap of the same
              paths, so names, t10_dev_id, usn, LUNs and sessions stay; shown with the devices,
              LUNs and logged-in initiators, then asked like apply (DATA-LOSS, IO-DISRUPT);
              recorded as a revert record on refs/sanform/<node>/applied of the state
              repository (--repo PATH or SANFORM_REPO), failed or not

Each shows what it will do first; deleting snapshots asks on a terminal and needs
--auto-approve otherwise.

Options:
  --now ISO          act as if it were this time (a simulated clock, for trying schedules)
  --force            create: take a snapshot even when the slot has one
  --auto-approve     delete (or revert) without asking
  --repo PATH        revert: the state repository to record it in (default $SANFORM_REPO)
  --textfile FILE    list: also write sanform_snapshot_age_seconds and
                     sanform_replication_lag_seconds for node_exporter's textfile collector

Exit codes: 0 done, 1 error, refused or a failed transfer.
`,
  options: { now: { type: 'string' }, force: { type: 'boolean' }, 'auto-approve': { type: 'boolean' }, textfile: { type: 'string' }, repo: { type: 'string' } },
  positionals: true,
  async run(args, io) {
    const [action, only, target] = args.positionals as [Action | undefined, string | undefined, string | undefined];
    if (!action || !ACTIONS.includes(action)) throw new SanformError('USAGE', `snapshot needs one of ${ACTIONS.join(', ')}`, { hint: 'sanform snapshot list' });
    const now = nowOption(args);
    const loaded = await loadDesired(configPath(args, io));
    printDiagnostics(loaded.diagnostics, io, { warnings: 'count' });
    if (!loaded.ok) return 1;
    const host = await hostFor(args, io);
    try {
      const node = str(args, 'node') ?? (await host.hostname());
      const sets = setsFor(loaded.model, node, only);
      if (sets.length === 0) throw new SanformError('USAGE', only ? `no snapshot set ${only} for node ${node}` : `storage.snapshots declares no set for node ${node}`, { hint: 'declare one (docs/snapshots.md)' });
      if (action === 'revert') {
        if (!only || !target || sets.length !== 1) throw new SanformError('USAGE', 'snapshot revert needs SET and SNAPSHOT', { hint: 'sanform snapshot revert vm_store vm_store@2026-12-04T10:00Z (names from sanform snapshot list)' });
        const repo = str(args, 'repo') ?? io.env.SANFORM_REPO;
        return await snapshotRevert({ host, io, node, set: only, spec: sets[0]![1], snapshot: target, now, autoApprove: flag(args, 'auto-approve'), ...(repo ? { repo: resolve(io.cwd, repo) } : {}) });
      }
      const c: Ctx = { host, io, args, now, run: (argv) => host.exec(argv) };
      let ok = true;
      for (const [set, spec] of sets) {
        if (action === 'list') io.stdout.write(await list(c, set, spec));
        else if (action === 'replicate') ok = (await toPeer(c, set, spec)) && ok;
        else if (action === 'run') ok = (await converge(c, set, spec, 'create')) && (await toPeer(c, set, spec)) && (await converge(c, set, spec, 'prune')) && ok;
        else ok = (await converge(c, set, spec, action)) && ok;
      }
      return ok ? 0 : 1;
    } finally {
      await host.close?.();
    }
  },
} satisfies Command;
