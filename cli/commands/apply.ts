import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command, CommandIO } from '../command.js';
import { drivers } from '../drivers.js';
import { configPath, flag, hostFor, list, logger, nowOption, printDiagnostics, seconds, str, useColor } from '../engine-io.js';
import { applyJson, applyReport, blockedOnlyReport, interruptedNote, progressLine, recoveredNote } from '../apply-report.js';
import { applyPlan, holdApplyLock, loadAndPlan, secretsFor } from '../../reconciler/pipeline.js';
import { readInterrupted, type ApplyResult } from '../../reconciler/apply/index.js';
import { parsePlan, renderText } from '../../reconciler/render/index.js';
import type { Plan } from '../../reconciler/core/change.js';
import type { SecretResolver } from '../../reconciler/core/driver.js';
import type { Host } from '../../reconciler/host/host.js';
import type { ParsedArgs } from '../command.js';
import { commonOptions } from '../command.js';
import { SanformError } from '../../reconciler/core/errors.js';
import { assertPlanCurrent } from '../../reconciler/fresh.js';
import { secretNames } from '../../reconciler/secrets.js';
import { refuseConflicts, warnUnmatchedAllows } from '../usage.js';
import { approved } from '../confirm.js';
import { adoptOnly, ownershipOf, type Ownership } from '../../reconciler/inventory.js';
import type { SanformModel } from '../../schema/model.js';
import { planSets, planSteps, replanSaved, resultsText, runSteps, setsFor, stepsPending, type SetStep, type StepResult } from '../../drivers/snapshot/sets.js';

/** Reads a saved plan; a missing file is PLAN_FILE_NOT_FOUND naming it, not a raw ENOENT. */
async function readSavedPlan(file: string, io: CommandIO): Promise<Plan> {
  const path = resolve(io.cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    throw new SanformError('PLAN_FILE_NOT_FOUND', `plan file not found: ${file}`, {
      data: { path },
      hint: "save one with 'sanform plan --out FILE', or run 'sanform apply' without a file to plan now",
      cause: e,
    });
  }
  return parsePlan(text, path);
}

async function getPlan(
  args: ParsedArgs,
  io: CommandIO,
  host: Host,
): Promise<{ plan: Plan; secrets?: SecretResolver; model?: SanformModel; node?: string; ownership?: Ownership } | undefined> {
  const file = args.positionals[0];
  if (file) {
    const plan = await readSavedPlan(file, io);
    // refused before it is shown: a stale plan is not what would be applied
    await assertPlanCurrent({ host, drivers, plan });
    // secret values come from the desired-state file's references; a plan without any needs no
    // file; every one it uses must be declared there and readable here before anything is written
    const names = secretNames(JSON.stringify(plan.changes));
    if (names.length === 0) return { plan, secrets: undefined };
    const s = await secretsFor({ config: configPath(args, io), env: io.env, names, host });
    printDiagnostics(s.diagnostics, io, { warnings: 'count', args });
    return s.ok ? { plan, secrets: s.secrets } : undefined;
  }
  const allow = list(args, 'allow');
  const r = await loadAndPlan({ config: configPath(args, io), host, drivers, node: str(args, 'node'), allow, env: io.env });
  printDiagnostics(r.diagnostics, io, { warnings: 'count', args });
  if (r.ok) warnUnmatchedAllows({ cmd: 'apply', plan: r.plan, allow, io });
  return r.ok ? { plan: r.plan, secrets: r.secrets, model: r.model, node: r.node, ownership: ownershipOf({ desired: r.desired, observed: r.observed, plan: r.plan }) } : undefined;
}

/**
 * Refuses option mixes apply would otherwise half-ignore: --repo and --boot apply a revision of
 * the state repository (not -c's file, not a saved plan); a saved plan is applied as it was made.
 */
function checkUsage(args: ParsedArgs): void {
  const fromRepo = 'applies a revision of the state repository, not a desired-state file';
  refuseConflicts(args, [['repo', 'config', `--repo ${fromRepo}`], ['boot', 'config', `--boot ${fromRepo}`]], commonOptions);
  for (const opt of ['repo', 'boot'] as const) {
    if (args.values.json && args.values[opt] !== undefined) {
      throw new SanformError('USAGE', `--json and --${opt} conflict: the state repository's apply writes its record, read it with sanform log`, { data: { options: ['json', opt] } });
    }
  }
  const file = args.positionals[0];
  if (args.positionals.length > 1) throw new SanformError('USAGE', `apply takes one plan file; got ${args.positionals.length} arguments`);
  if (file === undefined) return;
  if (/\.ya?ml$/i.test(file)) {
    throw new SanformError('USAGE', `${file} looks like a desired-state file; PLANFILE is a saved plan (sanform plan --out)`, { hint: `use -c ${file}` });
  }
  for (const opt of ['repo', 'boot', 'allow'] as const) {
    if (args.values[opt] === undefined) continue;
    const why = opt === 'allow' ? 'approvals are made when the plan is made: sanform plan --allow ADDRESS --out FILE' : `--${opt} applies a revision of the state repository`;
    throw new SanformError('USAGE', `PLANFILE and --${opt} conflict: ${why}`, { data: { options: ['PLANFILE', opt] } });
  }
}

export const applyCommand = {
  name: 'apply',
  summary: 'converge the machine to the desired state',
  usage: `Usage: sanform apply [PLANFILE] [-c FILE] [--host SPEC] [options]

Without PLANFILE: plans, shows the plan, asks for confirmation, applies. The snapshot sets of
storage.snapshots are carried out after the kernel changes: the due snapshot taken, what the peer
lacks sent, what retention drops deleted (shown in the plan first).
With PLANFILE (from 'sanform plan --out'): applies exactly that plan; refused with PLAN_STALE when the
live state changed since it was made. Secrets are read from the desired-state file's references.
Its snapshot sets are planned again now (what is due is taken and sent), but only the snapshots
the saved plan showed as deleted may be deleted.

Options:
  --auto-approve        do not ask (required when stdin is not a terminal)
  --allow ADDRESS       approve a guarded change to ADDRESS (repeatable)
  --json                the outcome as one JSON object on stdout (results per change, blocked,
                        the commands run with secrets masked, the plan); the text plan goes to
                        stderr. Not with --repo/--boot. Format: docs/plan-format.md
  --lock-timeout S      wait up to S seconds (30s, 2m) for another apply to finish (default 10s;
                        with --repo or --boot 30s); the lock is taken before anything is observed
  --boot                converge the kernel to the last revision applied from the state repo (main
                        when none), bottom layer first, and record it (--repo PATH or SANFORM_REPO)
  --repo PATH           apply main of the state repo and record it (with --auto-approve)
  --pair                both nodes of an HA pair (nodes.NAME.host: sim:DIR or local): shows both
                        plans, applies the standby node first, checks the health gates (DRBD
                        connected and UpToDate on both sides, the standby's targets enabled,
                        nothing failed), then the active node; a failed gate stops the rollout
                        with the active node untouched and exits 1 (docs/ha.md)
  --gate-timeout S      how long the gates wait for a resync under way (default 300s)
  --node-host NAME=SPEC with --pair: reach node NAME through SPEC (sim:DIR, local), overriding
                        nodes.NAME.host (repeatable)
  --now ISO             carry out the snapshot sets as if it were this time (a simulated clock)

Exit codes: 0 everything applied, 1 an error, or anything failed, skipped or blocked,
3 another apply is in progress on this machine (APPLY_IN_PROGRESS): nothing was observed or changed.
`,
  positionals: true,
  options: {
    boot: { type: 'boolean' },
    repo: { type: 'string' },
    'auto-approve': { type: 'boolean' },
    allow: { type: 'string', multiple: true },
    'lock-timeout': { type: 'string' },
    json: { type: 'boolean' },
    pair: { type: 'boolean' },
    'node-host': { type: 'string', multiple: true },
    'gate-timeout': { type: 'string' },
    now: { type: 'string' },
  },
  async run(args, io) {
    if (flag(args, 'pair')) return (await import('../pair.js')).applyPairCommand(args, io);
    checkUsage(args);
    if (flag(args, 'boot') || str(args, 'repo')) return (await import('../gitops-io.js')).gitopsApply(args, io); // git plumbing only when asked
    const log = logger(args, io);
    const lockTimeoutMs = seconds(str(args, 'lock-timeout'), 10) * 1000;
    const host = await hostFor(args, io);
    try {
      // the lock comes first: a second apply stops here (APPLY_IN_PROGRESS, exit 3) instead of
      // planning against a machine in the middle of the first one
      const { lock, recovered } = await holdApplyLock({ host, drivers, lockTimeoutMs });
      try {
        if (recovered) io.stderr.write(recoveredNote(recovered));
        // said before the plan: this run re-plans from the live state, which is how it recovers
        const previous = readInterrupted(host.stateDir);
        if (previous) io.stderr.write(interruptedNote(previous));
        const got = await getPlan(args, io, host);
        if (!got) return 1;
        const { secrets } = got;
        // the snapshot sets are planned now: from the file, or again from a saved plan's sets,
        // then deleting only what the saved plan showed
        const now = nowOption(args);
        const steps: SetStep[] = got.model && got.node
          ? await planSets(host, setsFor(got.model, got.node), now)
          : got.plan.snapshotSets?.length ? await replanSaved(host, got.plan.snapshotSets, now) : [];
        const plan = steps.length ? { ...got.plan, snapshotSets: planSteps(steps) } : got.plan;
        const snapshots = stepsPending(steps);
        // with --json stdout carries only the JSON outcome; the plan people read goes to stderr
        const json = flag(args, 'json');
        const text = json ? io.stderr : io.stdout;
        text.write(renderText(plan, { color: json ? false : useColor(io) }));
        if (plan.changes.length === 0 && plan.blocked.length > 0) text.write(blockedOnlyReport(plan.blocked));
        // nothing to run still adopts what the file declares (the inventory, reconciler/inventory.ts)
        if (plan.changes.length === 0 && got.ownership) adoptOnly(host.stateDir, got.ownership);
        if (plan.changes.length === 0 && !snapshots) {
          if (json) io.stdout.write(applyJson({ plan, approved: true }));
          return plan.blocked.length > 0 ? 1 : 0;
        }
        if (!(await approved({ io, autoApprove: flag(args, 'auto-approve') }))) {
          if (json) io.stdout.write(applyJson({ plan, approved: false }));
          return 1;
        }
        let ok = plan.blocked.length === 0 || plan.changes.length > 0;
        let result: ApplyResult | undefined;
        if (plan.changes.length > 0) {
          const r = await applyPlan({ host, plan, drivers, secrets, lock, ownership: got.ownership, onProgress: progressLine(io) });
          log.info({ counts: r.counts, ops: r.executed.length }, 'applied');
          text.write(applyReport(r));
          ok = r.ok;
          result = r;
        }
        let done: StepResult[] | undefined;
        if (snapshots) {
          done = await runSteps(host, steps);
          text.write(resultsText(done));
          ok = ok && done.every((d) => !d.error);
        }
        if (json) io.stdout.write(applyJson({ plan, result, approved: true, ok, snapshots: done }));
        return ok ? 0 : 1;
      } finally {
        lock.release();
      }
    } finally {
      await host.close?.();
    }
  },
} satisfies Command;
