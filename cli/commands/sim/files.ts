import { join, resolve } from 'node:path';
import { provisionFiles, type Provisioned } from '../../../drivers/sim/index.js';
import { loadDesired } from '../../../reconciler/load/index.js';
import type { CommandIO } from '../../command.js';
import { printDiagnostics } from '../../engine-io.js';
import type { SimAction } from './action.js';

/** What `provisionFiles` did, one line each; `shown` is DIR as the user typed it. */
export function provisionedText(p: Provisioned, o: { shown: string; config: string }): string {
  const lines = [
    ...p.created.map((c) => `  ${c.what === 'secret' ? 'secret file ' : 'backing file'} ${c.path} (${join(o.shown, 'files', c.path)})`),
    ...p.kept.map((k) => `  kept ${k} (${join(o.shown, 'files', k)}): already there`),
    ...p.relative.map((r) => `  secret ${r.secret} is read from ${r.file} beside ${o.config}: create it there`),
    ...p.env.map((e) => `  secret ${e.secret} is read from the environment: export ${e.variable}=... (12 to 16 characters) before plan and apply`),
  ];
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/**
 * Loads a desired-state file for `--files-for`/`--for`: its diagnostics are printed; undefined
 * when it does not load (nothing is made then).
 */
export async function loadForFiles(file: string, io: CommandIO): Promise<Parameters<typeof provisionFiles>[1] | undefined> {
  const loaded = await loadDesired(resolve(io.cwd, file));
  printDiagnostics(loaded.diagnostics, io, { warnings: 'count' });
  return loaded.ok ? loaded.model : undefined;
}

export const files: SimAction = {
  name: 'files',
  summary: "make the secret files and vdisk_fileio backing files a desired-state file names, inside the machine",
  usage: [
    'sanform sim files DIR --for FILE',
    '  under DIR/files/PATH: secret files (random values, mode 0600) and vdisk_fileio backing files',
    '  (1 GiB, sparse) that FILE names; files already there are kept. Plan and apply with',
    '  --host sim:DIR read a secret file, and the emulated vdisk_fileio opens a backing file, there',
    '  first. Environment secrets are listed: export them yourself. (sim init --files-for FILE does',
    '  the same for a new machine.)',
  ].join('\n'),
  options: { for: { type: 'string' } },
  async run(args, values, io) {
    const config = typeof values.for === 'string' ? values.for : undefined;
    if (args.length !== 1 || config === undefined) {
      io.stderr.write('sanform sim files: expected DIR --for FILE\n');
      return 1;
    }
    const dir = resolve(io.cwd, args[0]!);
    const model = await loadForFiles(config, io);
    if (!model) return 1;
    io.stdout.write(provisionedText(provisionFiles(dir, model), { shown: args[0]!, config }) || 'nothing to make: FILE names no secret file or file-backed device\n');
    return 0;
  },
};
