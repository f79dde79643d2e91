/**
 * `sanform plan --all -c FLEET_CHECKOUT`: every node's view of a fleet planned against the state
 * that node last recorded in the (central) state repository, one plan after another, in wave
 * order. A node that never recorded anything is planned against an empty machine, said so.
 */
import type { CommandIO, ParsedArgs } from '../command.js';
import { drivers } from '../drivers.js';
import { configPath, flag, list, printDiagnostics } from '../engine-io.js';
import { repoPath } from '../gitops-io.js';
import { SanformError } from '../../reconciler/core/errors.js';
import type { Snapshot } from '../../reconciler/core/resource.js';
import { dirTree, isFleetDir } from '../../reconciler/fleet/trees.js';
import { readFleet } from '../../reconciler/fleet/view.js';
import { loadAndPlan } from '../../reconciler/pipeline.js';
import { renderMarkdown, renderText } from '../../reconciler/render/index.js';
import { lastSnapshot } from '../../reconciler/state/history.js';
import { openStore, type Store } from '../../reconciler/state/store.js';

async function recorded(store: Store, node: string, io: CommandIO): Promise<{ snapshot: Snapshot; note: string }> {
  try {
    const last = await lastSnapshot(store, node);
    return { snapshot: last.snapshot, note: `against the state recorded in ${last.commit.slice(0, 12)} (${last.meta.finishedAt})` };
  } catch (e) {
    if ((e as { code?: string }).code !== 'STATE_NO_RECORD') throw e;
    io.stderr.write(`${node} has recorded no state yet; it is planned against an empty machine.\n`);
    return { snapshot: { node, takenAt: new Date(0).toISOString(), source: `git:${node}`, resources: new Map() }, note: 'against an empty machine (no record yet)' };
  }
}

export async function planAll(args: ParsedArgs, io: CommandIO): Promise<number> {
  const dir = configPath(args, io);
  if (!(await isFleetDir(dir))) throw new SanformError('USAGE', `plan --all needs a fleet checkout; ${dir} has no fleet.yaml`, { hint: 'pass -c with the top of the fleet repository (docs/fleet.md)' });
  const tree = await dirTree(dir);
  const f = await readFleet(tree);
  if (!f.fleet) {
    printDiagnostics(f.diagnostics, io, { warnings: 'full' });
    return 1;
  }
  const store = await openStore(repoPath(args, io));
  let failed = false;
  let changed = false;
  for (const wave of f.fleet.waves) {
    for (const node of wave.nodes) {
      const { snapshot, note } = await recorded(store, node, io);
      const r = await loadAndPlan({ config: dir, drivers, node, allow: list(args, 'allow'), observed: snapshot, env: io.env });
      io.stdout.write(flag(args, 'markdown') ? `## ${node} (wave ${wave.name})\n\nPlanned ${note}.\n\n` : `=== ${node} (wave ${wave.name}), ${note}\n`);
      printDiagnostics(r.diagnostics, io, { warnings: 'count' });
      if (!r.ok) {
        failed = true;
        io.stdout.write(`${node}: invalid view (${r.diagnostics.filter((d) => d.severity === 'error').length} error(s), above)\n\n`);
        continue;
      }
      changed ||= r.plan.changes.length + r.plan.blocked.length > 0;
      io.stdout.write(flag(args, 'markdown') ? renderMarkdown(r.plan) : renderText(r.plan));
      io.stdout.write('\n');
    }
  }
  if (failed) return 1;
  return flag(args, 'detailed-exitcode') && changed ? 2 : 0;
}
