import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultHardware, initSimDir, provisionFiles } from '../../../drivers/sim/index.js';
import { loadDesired } from '../../../reconciler/load/index.js';
import { printDiagnostics } from '../../engine-io.js';
import { loadHardware } from '../../../drivers/sim/hardware-file.js';
import type { SimAction } from './action.js';

export const init: SimAction = {
  name: 'init',
  summary: 'create a fresh emulated machine in DIR',
  usage: [
    'sanform sim init DIR [--hardware FILE] [--files-for FILE] [--force]',
    '  --hardware FILE  hardware profile (YAML/JSON, see drivers/sim/README.md); default: the esos-sim profile',
    '  --files-for FILE also make, inside the machine (DIR/files/PATH), the secret files (random values,',
    '                   mode 0600) and vdisk_fileio backing files (1 GiB, sparse) the desired-state',
    '                   FILE names; plan and apply with --host sim:DIR read them there',
    '  --force          wipe the machine in a non-empty DIR',
  ].join('\n'),
  options: { hardware: { type: 'string' }, force: { type: 'boolean' }, 'files-for': { type: 'string' } },
  async run(args, values, io) {
    if (args.length !== 1) {
      io.stderr.write('sanform sim init: expected one DIR\n');
      return 1;
    }
    const dir = resolve(io.cwd, args[0]);
    if (existsSync(dir) && readdirSync(dir).length > 0 && !values.force) {
      io.stderr.write(`sanform sim init: ${dir} is not empty (use --force to start over)\n`);
      return 1;
    }
    const hw = typeof values.hardware === 'string' ? loadHardware(resolve(io.cwd, values.hardware)) : defaultHardware();
    // the file is checked before the machine is made: nothing half-done on a typo
    const filesFor = typeof values['files-for'] === 'string' ? values['files-for'] : undefined;
    const loaded = filesFor === undefined ? undefined : await loadDesired(resolve(io.cwd, filesFor));
    if (loaded) printDiagnostics(loaded.diagnostics, io, { warnings: 'count' });
    if (loaded && !loaded.ok) return 1;
    await initSimDir(dir, hw);
    io.stdout.write(`emulated machine ${hw.hostname} created in ${dir}\n`);
    if (loaded?.ok) {
      const p = provisionFiles(dir, loaded.model);
      for (const c of p.created) io.stdout.write(`  ${c.what === 'secret' ? 'secret file ' : 'backing file'} ${c.path} (${join(args[0]!, 'files', c.path)})\n`);
      for (const r of p.relative) io.stdout.write(`  secret ${r.secret} is read from ${r.file} beside ${filesFor}: create it there\n`);
      for (const e of p.env) io.stdout.write(`  secret ${e.secret} is read from the environment: export ${e.variable}=... (12 to 16 characters) before plan and apply\n`);
    }
    io.stdout.write(`use it with --host sim:${dir}\n`);
    return 0;
  },
};
