import { resolve } from 'node:path';
import { openSimHost } from '../../../drivers/sim/index.js';
import { summarize } from '../../../drivers/sim/summary.js';
import type { SimAction } from './action.js';

export const show: SimAction = {
  name: 'show',
  summary: 'print a readable summary of the emulated machine',
  usage: 'sanform sim show DIR',
  async run(args, _values, io) {
    if (args.length !== 1) {
      io.stderr.write('sanform sim show: expected one DIR\n');
      return 1;
    }
    const host = await openSimHost(resolve(io.cwd, args[0]));
    io.stdout.write(await summarize(host, host.hardware()));
    return 0;
  },
};
