/** `sanform validate`: load the desired state and print every diagnostic; exit 0 valid, 1 invalid. */
import { resolve } from 'node:path';
import { formatDiagnostic, loadDesired, summarizeDiagnostics } from '../../reconciler/load/index.js';
import type { Diagnostic } from '../../reconciler/load/index.js';
import type { Command } from '../command.js';
import { shownPath as shown } from '../engine-io.js';
import { dirTree, isFleetDir } from '../../reconciler/fleet/trees.js';
import { validateFleet } from '../../reconciler/fleet/view.js';

/** A fleet checkout: every node's view checked, each finding once. */
async function fleetResult(dir: string): Promise<{ ok: boolean; files: string[]; diagnostics: Diagnostic[]; nodes: number }> {
  const tree = await dirTree(dir);
  const r = await validateFleet(tree);
  return { ok: r.ok, files: tree.paths.filter((p) => /\.ya?ml$/.test(p)).map((p) => tree.shown!(p)), diagnostics: r.diagnostics, nodes: r.nodes.size };
}

export const validateCommand = {
  name: 'validate',
  summary: 'check the desired-state file: schema, names and references, with file:line:col',
  usage: `Usage: sanform validate [-c FILE|DIR] [--json]

Loads the desired state (one YAML file, or every *.yaml/*.yml under a directory, merged) and
reports every problem at once. A fleet checkout (fleet.yaml at the top, docs/fleet.md) is checked
whole: fleet.yaml and every node's view. Reported: YAML syntax, duplicate keys, schema, names and limits,
cross references. Warnings (such as a /dev path no declared layer provides) do not fail it.

Options:
  -c, --config FILE|DIR   desired state (default: sanform.yaml in the current directory)
  --json                  print {ok, files, diagnostics} as JSON

Output: one line per finding, \`file:line:col: error|warning CODE: message (at yaml.path)\`,
then an indented hint.

Exit codes: 0 valid (warnings allowed), 1 invalid or unreadable.

Example:
  sanform validate -c examples/iscsi-chap.yaml
`,
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    const config = typeof args.values.config === 'string' ? args.values.config : 'sanform.yaml';
    const path = resolve(io.cwd, config);
    const r = (await isFleetDir(path)) ? await fleetResult(path) : await loadDesired(path);
    const files = r.files.map((f) => shown(io.cwd, f));
    const diagnostics: Diagnostic[] = r.diagnostics.map((d) => ({ ...d, file: shown(io.cwd, d.file) }));
    if (args.values.json) {
      io.stdout.write(`${JSON.stringify({ ok: r.ok, files, diagnostics }, null, 2)}\n`);
      return r.ok ? 0 : 1;
    }
    for (const d of diagnostics) io.stdout.write(`${formatDiagnostic(d)}\n`);
    const what = 'nodes' in r ? `fleet of ${r.nodes} node(s)` : files.length === 1 ? files[0] : `${files.length} files`;
    io.stdout.write(r.ok ? `${what}: valid (${summarizeDiagnostics(diagnostics)})\n` : `${what}: invalid (${summarizeDiagnostics(diagnostics)})\n`);
    return r.ok ? 0 : 1;
  },
} satisfies Command;
