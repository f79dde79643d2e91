import type { Command } from '../command.js';
import { drivers } from '../drivers.js';
import { configPath, flag, hostFor, list, logger, nowOption, printDiagnostics, str, useColor, writeOutFile } from '../engine-io.js';
import { loadAndPlan } from '../../reconciler/pipeline.js';
import { renderCommands, renderJson, renderMarkdown, renderText } from '../../reconciler/render/index.js';
import { planAll } from './plan-all.js';
import { planSets, planSteps, setsFor } from '../../drivers/snapshot/sets.js';
import { snapshotStepsPending } from '../../reconciler/render/snapshots.js';
import { refuseConflicts, repeatedOptions, shellWord, warnUnmatchedAllows } from '../usage.js';

/** Options that exclude each other, with what to do instead. */
const CONFLICTS = [
  ['json', 'markdown', 'the plan is printed in one format; save JSON with --out and print Markdown'],
  ['host', 'observed', 'the plan is made against a live host or a recorded snapshot, not both'],
  ['all', 'node', '--all plans every node of the fleet; --node plans one'],
  ['all', 'observed', '--all plans each node against its own recorded state'],
  ['all', 'host', '--all plans each node against its own recorded state'],
  ['all', 'out', 'a saved plan is one node\'s; use --node NAME --out FILE'],
] as const;

export const planCommand = {
  name: 'plan',
  summary: 'show what apply would change, in order, with impact',
  usage: `Usage: sanform plan [-c FILE] [--host SPEC | --observed SNAPSHOT.json] [options]

Options:
  --detailed-exitcode   exit 2 when there are changes (0 none, 1 error)
  --pair                both nodes of an HA pair (nodes.NAME.host), badged per node, the standby
                        node first (with --markdown: one comment for CI; docs/ha.md)
  --node-host NAME=SPEC with --pair: reach node NAME through SPEC (sim:DIR, local), overriding
                        nodes.NAME.host (repeatable)
  --json                the versioned JSON plan (docs/plan-format.md) on stdout
  --markdown            Markdown for a pull-request comment
  --commands            also print the exact kernel writes and commands
  --now ISO             plan the snapshot sets as if it were this time (a simulated clock)

Against a live host, every format (text, --json, --markdown, --out) also carries what the
snapshot sets of storage.snapshots would take, send and delete now (docs/snapshots.md).
  --out FILE            save the JSON plan for 'sanform apply FILE'
  --observed FILE       plan against a saved snapshot (sanform observe --out) instead of a host
  --observed git:NODE   plan against NODE's last state recorded in the state repo (--repo PATH or
                        SANFORM_REPO): CI plans with no access to the machine (docs/ci.md)
  --allow ADDRESS       approve a guarded change to ADDRESS (repeatable)
  --all                 a fleet checkout (-c DIR with fleet.yaml): plan every node's view against
                        the state it recorded in the central repo (--repo), in wave order;
                        --node NAME plans one node's view (docs/fleet.md)

Exit codes: 0 success (no changes with --detailed-exitcode), 1 error, 2 changes (--detailed-exitcode),
3 an apply is in progress on the machine (APPLY_IN_PROGRESS): nothing was planned.
`,
  options: {
    repo: { type: 'string' },
    'detailed-exitcode': { type: 'boolean' },
    json: { type: 'boolean' },
    markdown: { type: 'boolean' },
    commands: { type: 'boolean' },
    out: { type: 'string' },
    observed: { type: 'string' },
    allow: { type: 'string', multiple: true },
    all: { type: 'boolean' },
    pair: { type: 'boolean' },
    now: { type: 'string' },
    'node-host': { type: 'string', multiple: true },
  },
  async run(args, io) {
    refuseConflicts(args, CONFLICTS);
    if (flag(args, 'pair')) return (await import('../pair.js')).planPairCommand(args, io);
    if (flag(args, 'all')) return planAll(args, io);
    const log = logger(args, io);
    const observedFile = str(args, 'observed');
    const observed = observedFile ? await (await import('../gitops-io.js')).observedSnapshot(observedFile, args, io) : undefined;
    const host = observed ? undefined : await hostFor(args, io);
    try {
      const r = await loadAndPlan({
        config: configPath(args, io), host, drivers, node: str(args, 'node'), allow: list(args, 'allow'), observed, env: io.env, refuseDuringApply: true,
      });
      printDiagnostics(r.diagnostics, io, { warnings: 'full', args });
      if (!r.ok) return 1;
      warnUnmatchedAllows({ cmd: 'plan', plan: r.plan, allow: list(args, 'allow'), io });
      log.info({ node: r.node, summary: r.plan.summary, observedHash: r.plan.observedHash }, 'planned');
      // snapshot sets are planned against the live host (their listing is not in a snapshot)
      const steps = host ? await planSets(host, setsFor(r.model, r.node), nowOption(args)) : [];
      const plan = steps.length ? { ...r.plan, snapshotSets: planSteps(steps) } : r.plan;
      const out = str(args, 'out');
      if (out) await writeOutFile({ file: out, text: renderJson(plan), io });
      if (flag(args, 'json')) io.stdout.write(renderJson(plan));
      else if (flag(args, 'markdown')) io.stdout.write(renderMarkdown(plan, { recorded: observedFile }));
      else {
        io.stdout.write(renderText(plan, { color: useColor(io), recorded: observedFile }));
        if (flag(args, 'commands')) io.stdout.write(`\n${renderCommands(plan, { fingerprint: (n) => r.secrets.fingerprint(n) })}`);
      }
      if (out) io.stderr.write(`Saved the plan to ${out}. To apply exactly this plan, run:\n  sanform apply ${shellWord(out)}${repeatedOptions(args)}\n`);
      const changed = plan.changes.length + plan.blocked.length > 0 || snapshotStepsPending(plan.snapshotSets);
      return flag(args, 'detailed-exitcode') && changed ? 2 : 0;
    } finally {
      await host?.close?.();
    }
  },
} satisfies Command;
