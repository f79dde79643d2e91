import { resolve } from 'node:path';
import { openSimHost } from '../../../drivers/sim/index.js';
import { materialize as write } from '../../../drivers/sim/materialize.js';
import type { SimAction } from './action.js';

export const materialize: SimAction = {
  name: 'materialize',
  summary: 'write the emulated SCST tree as plain files, directories and relative symlinks',
  usage: [
    'sanform sim materialize SIM_DIR OUT_DIR',
    '  OUT_DIR must be absent or empty; read it with --host local:OUT_DIR',
  ].join('\n'),
  async run(args, _values, io) {
    if (args.length !== 2) {
      io.stderr.write('sanform sim materialize: expected SIM_DIR OUT_DIR\n');
      return 1;
    }
    const out = resolve(io.cwd, args[1]);
    const host = await openSimHost(resolve(io.cwd, args[0]));
    const r = await write(host, out);
    io.stdout.write(`${out}: ${r.dirs} directories, ${r.files} files (${r.unreadable.length} write-only, written empty), ${r.links} symlinks\n`);
    return 0;
  },
};
