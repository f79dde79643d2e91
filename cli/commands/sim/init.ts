import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultHardware, initSimDir } from '../../../drivers/sim/index.js';
import { loadHardware } from '../../../drivers/sim/hardware-file.js';
import type { SimAction } from './action.js';

export const init: SimAction = {
  name: 'init',
  summary: 'create a fresh emulated machine in DIR',
  usage: [
    'sanform sim init DIR [--hardware FILE] [--hostname NAME] [--force]',
    '  --hardware FILE  hardware profile (YAML/JSON, see drivers/sim/README.md); default: the esos-sim profile',
    '  --hostname NAME  the machine\'s host name (a node of a pair: esos-a)',
    '  --force          wipe the machine in a non-empty DIR',
  ].join('\n'),
  options: { hardware: { type: 'string' }, hostname: { type: 'string' }, force: { type: 'boolean' } },
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
    await initSimDir(dir, hw);
    io.stdout.write(`emulated machine ${hw.hostname} created in ${dir}\nuse it with --host sim:${dir}\n`);
    return 0;
  },
};
