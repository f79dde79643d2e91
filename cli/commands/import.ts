import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Command } from '../command.js';
import { hostFor, str } from '../engine-io.js';
import { importConf, importLive, writeSecrets } from '../../drivers/scst/import.js';

export const importCommand = {
  name: 'import',
  summary: 'write the YAML for what is live now (or for an scst.conf)',
  usage: `Usage: sanform import [--host SPEC | --from-scst-conf FILE] [--out FILE] [--secrets-dir DIR] [--node NAME]

Reads the live SCST configuration (one pass over /sys/kernel/scst_tgt), or an existing scst.conf,
and writes a clean desired-state file: sorted, no comments, typed fields where the schema has them.
CHAP secrets never go into the YAML: each is written to DIR/<name> (mode 0600) and referenced from
'secrets:'. The plan right after an import is empty.

Options:
  --from-scst-conf FILE  import an scst.conf instead of the live kernel (no host needed)
  --out FILE             write the YAML there (default: stdout)
  --secrets-dir DIR      where secret files go (default: 'secrets' beside --out, or in the cwd)

Exit codes: 0 success, 1 error.
`,
  options: { 'from-scst-conf': { type: 'string' }, out: { type: 'string' }, 'secrets-dir': { type: 'string' } },
  async run(args, io) {
    const out = str(args, 'out');
    const secretsDir = resolve(io.cwd, str(args, 'secrets-dir') ?? (out ? resolve(dirname(resolve(io.cwd, out)), 'secrets') : 'secrets'));
    const conf = str(args, 'from-scst-conf');
    let result;
    if (conf) {
      result = importConf(await readFile(resolve(io.cwd, conf), 'utf8'), { secretsDir, node: str(args, 'node') ?? 'localhost', file: conf });
    } else {
      const host = await hostFor(args, io);
      try {
        result = await importLive(host, { secretsDir, node: str(args, 'node') ?? (await host.hostname()) });
      } finally {
        await host.close?.();
      }
    }
    await writeSecrets(result.secrets);
    if (out) await writeFile(resolve(io.cwd, out), result.yaml);
    else io.stdout.write(result.yaml);
    for (const s of result.secrets) io.stderr.write(`Wrote secret '${s.name}' to ${s.file} (mode 0600).\n`);
    if (out) io.stderr.write(`Wrote ${out}; 'sanform plan -c ${out}' should show no changes.\n`);
    return 0;
  },
} satisfies Command;
