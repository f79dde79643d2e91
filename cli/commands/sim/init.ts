import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultHardware, initSimDir, provisionFiles } from '../../../drivers/sim/index.js';
import { loadForFiles, provisionedText } from './files.js';
import { loadHardware } from '../../../drivers/sim/hardware-file.js';
import type { SimAction } from './action.js';

export const init: SimAction = {
  name: 'init',
  summary: 'create a fresh emulated machine in DIR',
  usage: [
    'sanform sim init DIR [--hardware FILE] [--hostname NAME] [--files-for FILE] [--force]',
    '  --hardware FILE  hardware profile (YAML/JSON, see drivers/sim/README.md); default: the esos-sim profile',
    '  --hostname NAME  the machine\'s host name (a node of a pair: esos-a)',
    '  --files-for FILE also make, inside the machine (DIR/files/PATH), the secret files (random values,',
    '                   mode 0600) and vdisk_fileio backing files (1 GiB, sparse) the desired-state',
    '                   FILE names; plan and apply with --host sim:DIR read them there',
    '  --force          wipe the machine in a non-empty DIR',
  ].join('\n'),
  options: { hardware: { type: 'string' }, hostname: { type: 'string' }, force: { type: 'boolean' }, 'files-for': { type: 'string' } },
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
    if (typeof values.hostname === 'string') hw.hostname = values.hostname;
    // the file is checked before the machine is made: nothing half-done on a typo
    const filesFor = typeof values['files-for'] === 'string' ? values['files-for'] : undefined;
    const model = filesFor === undefined ? undefined : await loadForFiles(filesFor, io);
    if (filesFor !== undefined && !model) return 1;
    await initSimDir(dir, hw);
    io.stdout.write(`emulated machine ${hw.hostname} created in ${dir}\n`);
    if (model) io.stdout.write(provisionedText(provisionFiles(dir, model), { shown: args[0]!, config: filesFor! }));
    io.stdout.write(`use it with --host sim:${dir}\n`);
    return 0;
  },
};
