/**
 * The btier emulator as a layer of the emulated machine (drivers/sim/stack): btier_setup in
 * Host.exec, /sys/block/sdtierX/tier and /sys/class/misc/tiercontrol in its tree.
 */
import type { FlatTree } from '../../sim/flat-tree.js';
import type { SimLayer, StackEnv } from '../../sim/stack/layer.js';
import { BtierEmulator, initialBtierState } from './index.js';
import type { BtierState } from './index.js';

const emulator = (env: StackEnv) => new BtierEmulator(env.disks, env.state<BtierState>(), () => env.changed(), (p) => env.openBy(p));

export const btierLayer: SimLayer = {
  name: 'btier',
  commands: BtierEmulator.commands,
  init: () => initialBtierState(),
  exec: (env, argv) => emulator(env).exec(argv),
  tree(env): FlatTree {
    const out: FlatTree = new Map();
    for (const [p, e] of emulator(env).tree()) if (p !== '') out.set(`sys/${p}`, e);
    return out;
  },
  openBy: (env, path) => (Object.values(env.state<BtierState>().devices).some((d) => d.members.includes(path)) ? 'btier' : undefined),
};
