import type { Command } from '../command.js';
import { list } from '../engine-io.js';
import { applyReportText, openGitops } from '../gitops-io.js';
import { warnUnmatchedAllows } from '../usage.js';
import { renderText } from '../../reconciler/render/index.js';
import { StateError } from '../../reconciler/state/errors.js';
import { commitRollback } from '../../reconciler/state/desired.js';
import { readRecords } from '../../reconciler/state/history.js';
import { openStore, resolveRev } from '../../reconciler/state/store.js';
import { applyRevision } from '../../reconciler/watch/converge.js';
import { revisionInForce } from '../../reconciler/watch/drift-check.js';
import { runningWatch } from '../../reconciler/watch/pidfile.js';
import { awaitRecord } from '../../reconciler/watch/push.js';
import type { Store } from '../../reconciler/state/store.js';

/** The desired revision of the last successful apply before the one in force. */
async function previousGood(store: Store, node: string, current: string): Promise<string> {
  const entries = await readRecords(store, { node, limit: 200, refs: ['applied'] });
  const hit = entries.find((e) => e.meta.ok && e.meta.desiredRevision && e.meta.desiredRevision !== current);
  if (!hit?.meta.desiredRevision) {
    throw new StateError('STATE_NO_RECORD', `no earlier successful apply on ${node} to roll back to`, { hint: 'name the revision: sanform rollback REV' });
  }
  return hit.meta.desiredRevision;
}

export const rollbackCommand = {
  name: 'rollback',
  summary: 'apply an earlier desired revision and record it as a new commit on main',
  usage: `Usage: sanform rollback [REV] [--repo PATH] [--host SPEC] [--node NAME] [--allow ADDRESS]

Makes a new commit on main with the files of REV (default: the desired revision of the last
successful apply before the one in force), applies it and records the apply. History only grows:
nothing is rewritten. With a watch daemon running, the daemon applies it and this command waits.

Options:
  --repo PATH       the state repository (default: $SANFORM_REPO)
  --allow ADDRESS   approve a guarded change to ADDRESS (repeatable)

Exit codes: 0 applied, 1 failed, invalid or error.
`,
  positionals: true,
  options: { repo: { type: 'string' }, allow: { type: 'string', multiple: true } },
  async run(args, io) {
    const g = await openGitops(args, io);
    try {
      const store = await openStore(g.repo);
      const target = args.positionals[0] ? await resolveRev(store, args.positionals[0]) : await previousGood(store, g.node, await resolveRev(store, await revisionInForce(g.ctx)));
      const commit = await commitRollback(store, { rev: target, node: g.node });
      io.stdout.write(`sanform: main is now ${commit.slice(0, 12)} (the files of ${target.slice(0, 12)})\n`);
      const watcher = runningWatch(g.host.stateDir);
      if (watcher) {
        const rec = await awaitRecord({ repo: g.repo, node: g.node, revision: commit, timeoutMs: 120_000 });
        io.stdout.write(rec ? `sanform: applied by watch (pid ${watcher}): ${rec.meta.ok ? 'ok' : 'FAILED'}; record ${rec.commit}\n` : 'sanform: watch has not recorded it yet\n');
        return rec?.meta.ok ? 0 : 1;
      }
      const allow = list(args, 'allow');
      const r = await applyRevision(g.ctx, { rev: commit, kind: 'rollback', allow });
      if (r.plan) warnUnmatchedAllows({ cmd: 'rollback', plan: r.plan, allow, io });
      if (r.plan) io.stdout.write(renderText(r.plan));
      io.stdout.write(applyReportText(r));
      return r.status === 'applied' ? 0 : 1;
    } finally {
      await g.close();
    }
  },
} satisfies Command;
