import { writeFile, rename } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { flag, str } from '../engine-io.js';
import { repoPath } from '../gitops-io.js';
import { SanformError } from '../../reconciler/core/errors.js';
import { revisionTree } from '../../reconciler/fleet/trees.js';
import { fleetStatus, statusMetrics, statusTable } from '../../reconciler/fleet/status.js';
import { isFleetTree, readFleet } from '../../reconciler/fleet/view.js';
import { formatDiagnostic } from '../../reconciler/load/index.js';
import { DESIRED_REF, openStore, resolveRev } from '../../reconciler/state/store.js';

export const fleetCommand = {
  name: 'fleet',
  summary: 'fleet status: one line per node from the records in the central repository',
  usage: `Usage: sanform fleet status [--repo PATH] [--json] [--textfile FILE]

Reads fleet.yaml at main of the central repository and the tip of each node's records
(refs/sanform/<node>/applied and /observed, pushed back by 'sanform watch --upstream'), and prints
one line per node, in wave order: the revision it applied last, its wave, its state (applied =
main applied without failure, behind, failed, never), its drift by class, the age of its last
apply and its last error. Only ref tips are read, so a year of records costs nothing.

Options:
  --repo PATH       the central repository (bare, or a checkout with the records fetched; default
                    $SANFORM_REPO)
  --json            the rows as JSON
  --textfile FILE   also write the rows as Prometheus metrics (node_exporter textfile collector),
                    replaced atomically

Exit codes: 0 every node applied main without failure, 1 error, 2 some node is behind, failed,
never applied or drifted.
`,
  options: { repo: { type: 'string' }, json: { type: 'boolean' }, textfile: { type: 'string' } },
  positionals: true,
  async run(args, io) {
    const sub = args.positionals[0];
    if (sub !== 'status') throw new SanformError('USAGE', sub ? `unknown fleet command ${sub}` : 'fleet needs a sub-command', { hint: 'sanform fleet status [--repo PATH]' });
    const store = await openStore(repoPath(args, io));
    const main = await resolveRev(store, DESIRED_REF);
    const tree = await revisionTree(store, main);
    if (!isFleetTree(tree.paths)) throw new SanformError('USAGE', `main (${main.slice(0, 12)}) of ${store.gitdir} has no fleet.yaml`, { hint: 'point --repo at the fleet\'s central repository (docs/fleet.md)' });
    const f = await readFleet(tree);
    if (!f.fleet) {
      for (const d of f.diagnostics) io.stderr.write(`${formatDiagnostic(d)}\n`);
      return 1;
    }
    const rows = await fleetStatus({ store, fleet: f.fleet, main, now: new Date() });
    const textfile = str(args, 'textfile');
    if (textfile) {
      const path = resolve(io.cwd, textfile);
      await writeFile(`${path}.tmp`, statusMetrics(rows, main));
      await rename(`${path}.tmp`, path);
    }
    io.stdout.write(flag(args, 'json') ? `${JSON.stringify({ main, nodes: rows }, null, 2)}\n` : `main ${main.slice(0, 12)}\n${statusTable(rows)}`);
    const healthy = rows.every((r) => r.state === 'applied' && Object.values(r.drift).every((n) => n === 0));
    return healthy ? 0 : 2;
  },
} satisfies Command;
