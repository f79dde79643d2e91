import { resolve } from 'node:path';
import { linkSimDirs } from '../../../drivers/sim/pair.js';
import type { SimAction } from './action.js';

export const link: SimAction = {
  name: 'link',
  summary: 'make two emulated machines an HA pair (one DRBD link, one cluster)',
  usage: [
    'sanform sim link DIR_A DIR_B',
    '  the machines (named with sim init --hostname) share one replication link and one Pacemaker',
    '  cluster; A is promoted first. Then: sim ctl DIR link cut|restore, failover, standby NODE on|off',
  ].join('\n'),
  async run(args, _values, io) {
    if (args.length !== 2) {
      io.stderr.write(`sanform sim link: usage:\n${link.usage}\n`);
      return 1;
    }
    const r = await linkSimDirs(resolve(io.cwd, args[0]!), resolve(io.cwd, args[1]!));
    io.stdout.write(`linked ${r.nodes[0]} and ${r.nodes[1]}; ${r.nodes[0]} is promoted\n`);
    return 0;
  },
};
