import type { Command } from '../command.js';
import { flag, str } from '../engine-io.js';
import { repoPath } from '../gitops-io.js';
import { readRecords, type RecordEntry } from '../../reconciler/state/history.js';
import { repoSettings } from '../../reconciler/state/init.js';
import { openStore } from '../../reconciler/state/store.js';

function line(e: RecordEntry): string {
  const m = e.meta;
  const rev = m.desiredRevision ? m.desiredRevision.slice(0, 12) : '-'.repeat(12);
  const what =
    m.kind === 'observe'
      ? `drift seen, snapshot ${m.snapshotHash.slice(0, 12)}`
      : `${m.ok ? 'ok    ' : 'FAILED'} ${m.counts.applied} applied, ${m.counts.failed} failed, ${m.counts.skipped} skipped, ${m.counts.blocked} blocked`;
  return `${e.commit.slice(0, 12)}  ${e.time}  ${m.kind.padEnd(8)} ${rev}  ${what}`;
}

export const logCommand = {
  name: 'log',
  summary: "show a node's apply and drift records from the state repository",
  usage: `Usage: sanform log [--repo PATH] [--node NAME] [-n COUNT] [--json]

Lists the record commits of a node, newest first: applies (refs/sanform/<node>/applied) and drift
observations (refs/sanform/<node>/observed). Each record holds the desired revision, the plan, the
outcome per change and the observed snapshot; compare two with plain git:
  git --git-dir PATH diff --word-diff A B -- observed/

Options:
  --repo PATH     the state repository (default: $SANFORM_REPO)
  -n COUNT        how many records (default 20)
  --json          one JSON array of {commit, time, ref, meta}

Exit codes: 0 ok, 1 error.
`,
  options: { repo: { type: 'string' }, n: { type: 'string', short: 'n' }, json: { type: 'boolean' } },
  async run(args, io) {
    const store = await openStore(repoPath(args, io));
    const node = str(args, 'node') ?? (await repoSettings(store)).node;
    if (!node) {
      io.stderr.write('sanform log: which node? pass --node NAME\n');
      return 1;
    }
    const entries = await readRecords(store, { node, limit: Number(str(args, 'n') ?? 20) });
    if (flag(args, 'json')) io.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    else if (entries.length === 0) io.stdout.write(`No records for node ${node} yet.\n`);
    else io.stdout.write(`${entries.map(line).join('\n')}\n`);
    return 0;
  },
} satisfies Command;
