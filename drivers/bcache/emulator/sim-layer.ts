/**
 * The bcache emulator as a layer of the emulated machine (drivers/sim/stack): make-bcache and
 * bcache-super-show in Host.exec, /sys/fs/bcache and /sys/block/<dev>/bcache in its tree.
 */
import type { FlatTree } from '../../sim/flat-tree.js';
import type { SimLayer, StackEnv } from '../../sim/stack/layer.js';
import { BcacheEmulator, initialBcacheState } from './index.js';
import type { BcacheState } from './kernel.js';

const emulator = (env: StackEnv) => new BcacheEmulator(env.disks, env.state<BcacheState>(), () => env.changed(), (p) => env.openBy(p));

export const bcacheLayer: SimLayer = {
  name: 'bcache',
  commands: BcacheEmulator.commands,
  init: () => initialBcacheState(),
  exec: (env, argv) => emulator(env).exec(argv),
  tree(env): FlatTree {
    const out: FlatTree = new Map();
    for (const [p, e] of emulator(env).kernel.tree()) if (p !== '') out.set(`sys/${p}`, e);
    return out;
  },
  openBy: (env, path) => (emulator(env).kernel.isOpen(path) ? 'bcache' : undefined),
  lost(env, path) {
    const k = emulator(env).kernel;
    if (Object.values(env.state<BcacheState>().sets).some((s) => s.cache === path)) k.cacheGone(path);
  },
};
