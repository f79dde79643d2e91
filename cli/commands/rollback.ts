import type { Command, CommandIO } from '../command.js';
import { approved, type ConfirmText } from '../confirm.js';
import { flag, list, printDiagnostics, useColor } from '../engine-io.js';
import { applyReportText, openGitops, type Gitops } from '../gitops-io.js';
import { warnUnmatchedAllows } from '../usage.js';
import type { Plan } from '../../reconciler/core/change.js';
import { renderText } from '../../reconciler/render/index.js';
import { StateError } from '../../reconciler/state/errors.js';
import { commitRollback } from '../../reconciler/state/desired.js';
import { readRecords } from '../../reconciler/state/history.js';
import { openStore, resolveRev } from '../../reconciler/state/store.js';
import { applyRevision } from '../../reconciler/watch/converge.js';
import { revisionInForce } from '../../reconciler/watch/drift-check.js';
import { runningWatch } from '../../reconciler/watch/pidfile.js';
import { planRevision } from '../../reconciler/watch/preview.js';
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

const CONFIRM: ConfirmText = {
  cmd: 'rollback',
  doing: 'roll back without asking',
  question: 'Roll back: commit these files on main and apply this plan?',
  cancelled: 'Rollback cancelled; main and the machine are unchanged.',
};

/**
 * Plans `target`'s files against the live host and shows the plan; undefined (after printing
 * why) when the revision does not validate. Nothing is committed or applied here.
 */
async function preview(g: Gitops, o: { target: string; allow: string[]; io: CommandIO }): Promise<Plan | undefined> {
  const { planned } = await planRevision(g.ctx, { rev: o.target, allow: o.allow });
  printDiagnostics(planned.diagnostics ?? [], o.io, { warnings: 'count' });
  if (!planned.ok) {
    o.io.stderr.write(`sanform rollback: revision ${o.target.slice(0, 12)} is invalid; main and the machine are unchanged.\n`);
    return undefined;
  }
  warnUnmatchedAllows({ cmd: 'rollback', plan: planned.plan, allow: o.allow, io: o.io });
  o.io.stdout.write(`sanform rollback to the files of ${o.target.slice(0, 12)} on ${g.node}:\n`);
  o.io.stdout.write(renderText(planned.plan, { color: useColor(o.io) }));
  return planned.plan;
}

export const rollbackCommand = {
  name: 'rollback',
  summary: 'apply an earlier desired revision and record it as a new commit on main',
  usage: `Usage: sanform rollback [REV] [--repo PATH] [--host SPEC] [--node NAME] [--allow ADDRESS] [--auto-approve]

Plans the files of REV (default: the desired revision of the last successful apply before the one
in force) against the live host, shows the plan and asks for confirmation, like apply. Then makes
a new commit on main with those files, applies exactly the plan shown and records the apply.
History only grows: nothing is rewritten. With a watch daemon running, the daemon applies it and
this command waits. A refused or cancelled rollback leaves main and the machine unchanged.

Options:
  --repo PATH       the state repository (default: $SANFORM_REPO)
  --allow ADDRESS   approve a guarded change to ADDRESS (repeatable)
  --auto-approve    do not ask (required when stdin is not a terminal)

Exit codes: 0 applied, 1 failed, invalid, refused, cancelled or error.
`,
  positionals: true,
  options: { repo: { type: 'string' }, allow: { type: 'string', multiple: true }, 'auto-approve': { type: 'boolean' } },
  async run(args, io) {
    const g = await openGitops(args, io);
    try {
      const store = await openStore(g.repo);
      const target = args.positionals[0] ? await resolveRev(store, args.positionals[0]) : await previousGood(store, g.node, await resolveRev(store, await revisionInForce(g.ctx)));
      const allow = list(args, 'allow');
      const plan = await preview(g, { target, allow, io });
      if (!plan) return 1;
      // as apply: a plan that changes nothing needs no answer
      if (plan.changes.length > 0 && !(await approved({ io, autoApprove: flag(args, 'auto-approve'), text: CONFIRM }))) return 1;
      const commit = await commitRollback(store, { rev: target, node: g.node });
      io.stdout.write(`sanform: main is now ${commit.slice(0, 12)} (the files of ${target.slice(0, 12)})\n`);
      const watcher = runningWatch(g.host.stateDir);
      if (watcher) {
        const rec = await awaitRecord({ repo: g.repo, node: g.node, revision: commit, timeoutMs: 120_000 });
        io.stdout.write(rec ? `sanform: applied by watch (pid ${watcher}): ${rec.meta.ok ? 'ok' : 'FAILED'}; record ${rec.commit}\n` : 'sanform: watch has not recorded it yet\n');
        return rec?.meta.ok ? 0 : 1;
      }
      // the plan shown is the plan applied (the new commit has the same files as the target)
      const r = await applyRevision(g.ctx, { rev: commit, kind: 'rollback', allow, plan: { ...plan, desiredRevision: commit } });
      io.stdout.write(applyReportText(r));
      return r.status === 'applied' ? 0 : 1;
    } finally {
      await g.close();
    }
  },
} satisfies Command;
