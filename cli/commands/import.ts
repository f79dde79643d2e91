/** `sanform import`: parse the options, import, check the result, write it all or nothing. */
import { dirname, resolve } from 'node:path';
import type { Command, CommandIO, ParsedArgs } from '../command.js';
import { diagnosticsText, flag, hostFor, shownPath, str } from '../engine-io.js';
import { checkImported, importConf, importFiles, ImportInvalidError, importLive, toYaml, type ImportResult } from '../../drivers/scst/import.js';
import { observe } from '../../reconciler/snapshot/observe.js';
import { importingDrivers, importStack, withImported } from '../../reconciler/stack/import.js';
import { drivers } from '../drivers.js';
import { adoptLive } from '../../reconciler/pipeline.js';
import { readInput, writeAllOrNothing } from '../../drivers/scst/import-files.js';
import { refuseConflicts, repeatedOptions, shellWord } from '../usage.js';

export const importCommand = {
  name: 'import',
  summary: 'write the YAML for what is live now (or for an scst.conf)',
  usage: `Usage: sanform import [--host SPEC | --from-scst-conf FILE] [--out FILE] [--secrets-dir DIR] [--node NAME] [--force]

Reads the live SCST configuration (one pass over /sys/kernel/scst_tgt) and the storage stack under
it (md arrays, bcache and btier devices: 'storage:'), or an existing scst.conf (SCST only), and
writes a clean desired-state file: sorted, no comments, typed fields where the schema has them.
CHAP secrets never go into the YAML: each is written to DIR/<name> (mode 0600) and referenced from
'secrets:'. The plan right after an import is empty.

The result is checked as 'sanform validate' would check it before anything is written: if it is
not valid (a LUN naming a device that does not exist, an upper-case FC WWPN...), the findings are
printed (their positions are in the YAML the import would have written) and nothing is written.
Warnings are printed and do not stop the import. An existing --out file or secret file with other
content is never replaced without --force; a file that already holds exactly what the import
would write is left alone. Missing directories are created. Files are written all or nothing.

Options:
  --from-scst-conf FILE  import an scst.conf instead of the live kernel (no host needed)
  --out FILE             write the YAML there (default: stdout)
  --secrets-dir DIR      where secret files go (default: 'secrets' beside --out, or in the cwd)
  --force                replace an existing --out file and existing secret files

Exit codes: 0 success, 1 error (nothing written).
`,
  options: { 'from-scst-conf': { type: 'string' }, out: { type: 'string' }, 'secrets-dir': { type: 'string' }, force: { type: 'boolean' } },
  async run(args, io) {
    refuseConflicts(args, [['from-scst-conf', 'host', 'an scst.conf is imported without a machine; the live kernel is imported with --host']]);
    const outArg = str(args, 'out');
    const out = outArg === undefined ? undefined : resolve(io.cwd, outArg);
    const secretsDir = resolve(io.cwd, str(args, 'secrets-dir') ?? (out ? resolve(dirname(out), 'secrets') : 'secrets'));
    const result = await runImport(args, io, secretsDir);
    // findings in an scst.conf import point at the scst.conf line, not at a YAML never written
    const diagnostics = checkImported(result.yaml, out ?? '<stdout>').map((d) => result.locate?.(d) ?? d);
    io.stderr.write(diagnosticsText(diagnostics, { warnings: 'full', cwd: out || result.locate ? io.cwd : undefined }));
    if (diagnostics.some((d) => d.severity === 'error')) throw new ImportInvalidError(diagnostics, outArg ?? 'stdout', str(args, 'from-scst-conf'));
    const written = await writeAllOrNothing(importFiles(result, out), { force: flag(args, 'force') });
    if (!out) io.stdout.write(result.yaml);
    for (const [i, s] of result.secrets.entries()) {
      const w = written[(out ? 1 : 0) + i];
      io.stderr.write(w.status === 'written' ? `Wrote secret '${s.name}' to ${s.file} (mode 0600).\n` : `Secret '${s.name}' already in ${s.file}, unchanged.\n`);
    }
    if (outArg) io.stderr.write(`${written[0].status === 'written' ? 'Wrote' : 'Unchanged:'} ${outArg}; '${planCommand(args, io, { out: out ?? outArg, result })}' should show no changes.\n`);
    return 0;
  },
} satisfies Command;

/** The import itself: an scst.conf or the live host. */
async function runImport(args: ParsedArgs, io: CommandIO, secretsDir: string): Promise<ImportResult> {
  const conf = str(args, 'from-scst-conf');
  if (conf) {
    const text = await readInput(resolve(io.cwd, conf));
    return importConf(text, { secretsDir, node: str(args, 'node') ?? 'localhost', file: conf });
  }
  const host = await hostFor(args, io);
  try {
    const node = str(args, 'node') ?? (await host.hostname());
    const scst = await importLive(host, { secretsDir, node });
    // the storage stack under SCST (md arrays, bcache, btier ...): each driver writes its section
    const live = await observe(host, importingDrivers(drivers), { node });
    const model = withImported(scst.model, importStack([...live.resources.values()], drivers, { node }));
    // imported objects are adopted: the machine's inventory holds them (prune deletes only those)
    const added = await adoptLive({ host, drivers, node });
    if (added > 0) io.stderr.write(`Adopted ${added} live object(s) into sanform's inventory on ${host.id}: once the file drops one, apply deletes it.\n`);
    return { ...scst, model, yaml: toYaml(model) };
  } finally {
    await host.close?.();
  }
}

/**
 * The plan command to try next, ready to paste: the --host and --node the user gave, and the
 * node the import was made as when the YAML declares nodes (the host name may not be one).
 */
function planCommand(args: ParsedArgs, io: CommandIO, o: { out: string; result: ImportResult }): string {
  const node = str(args, 'node') === undefined && o.result.model.nodes ? ` --node ${shellWord(o.result.node)}` : '';
  return `sanform plan -c ${shellWord(shownPath(io.cwd, o.out))}${repeatedOptions(args, ['host', 'node'])}${node}`;
}
