import { resolve } from 'node:path';
import { unmountFs } from '../../../drivers/sim/fuse/mount.js';
import type { SimAction } from './action.js';

export const umount: SimAction = {
  name: 'umount',
  summary: 'stop the server of a `sim mount` and unmount it (a dead or hung mount is cleared by force)',
  usage: 'sanform sim umount MOUNTPOINT',
  async run(args, _values, io) {
    if (args.length !== 1) {
      io.stderr.write('sanform sim umount: expected MOUNTPOINT\n');
      return 1;
    }
    const mnt = resolve(io.cwd, args[0]);
    await unmountFs(mnt);
    io.stderr.write(`unmounted ${mnt}\n`);
    return 0;
  },
};
