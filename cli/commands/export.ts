import type { Command } from '../command.js';
import { configPath, flag, printDiagnostics, str, writeOutFile } from '../engine-io.js';
import { exportConf } from '../../drivers/scst/export.js';
import { loadDesired } from '../../reconciler/load/index.js';
import { createSecretResolver } from '../../reconciler/secrets.js';

export const exportCommand = {
  name: 'export',
  summary: 'write the desired state in another format (scst.conf for scstadmin)',
  usage: `Usage: sanform export --format scst.conf [-c FILE] [--node NAME] [--out FILE] [--include-secrets]

Writes the SCST part of the desired state of one node as an scst.conf that 'scstadmin -config'
accepts. CHAP secrets are resolved from their references only with --include-secrets; otherwise
each CHAP line is a comment naming its secret. Every vdisk device's t10_dev_id, usn and
vend_specific_id are written out (derived from setupId where the file leaves them generated):
scstadmin opens devices before it sets setup_id, so without them a fresh machine would give
every LUN a new identity.

Options:
  --format scst.conf   the output format (the only one so far)
  --out FILE           write there (default: stdout)
  --include-secrets    write CHAP secret values into the file
  --node NAME          the node to export for (default: the first of 'nodes:', else 'localhost')

Exit codes: 0 success, 1 error.
`,
  options: { format: { type: 'string' }, out: { type: 'string' }, 'include-secrets': { type: 'boolean' } },
  async run(args, io) {
    if (str(args, 'format') !== 'scst.conf') {
      io.stderr.write("sanform export: --format scst.conf is required (the only format so far)\n");
      return 1;
    }
    const config = configPath(args, io);
    const loaded = await loadDesired(config);
    printDiagnostics(loaded.diagnostics, io, { warnings: 'count' });
    if (!loaded.ok) return 1;
    const model = loaded.model;
    const node = str(args, 'node') ?? Object.keys(model.nodes ?? {})[0] ?? 'localhost';
    const secrets = createSecretResolver({ secrets: model.secrets, env: io.env });
    const text = await exportConf(model, { node, secrets, includeSecrets: flag(args, 'include-secrets') });
    const out = str(args, 'out');
    if (out) await writeOutFile({ file: out, text, io, mode: flag(args, 'include-secrets') ? 0o600 : 0o644 });
    else io.stdout.write(text);
    return 0;
  },
} satisfies Command;
