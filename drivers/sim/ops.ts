/**
 * Every operation on an emulated machine as a plain value, so a persistent machine can log the
 * ones that changed state and replay them in other processes.
 */
import type { ReadTreeOptions } from '../../reconciler/host/host.js';
import type { SimWorld } from './world.js';

export type CtlName = 'login' | 'logout' | 'iscsiDaemon' | 'setAsync' | 'setDebugEagain' | 'unplug' | 'plug';

export type EmuOp =
  | { k: 'stat' | 'readdir' | 'readlink' | 'read' | 'truncate'; path: string }
  | { k: 'walk'; path: string; opts?: ReadTreeOptions }
  | { k: 'write'; path: string; data: string }
  | { k: 'ctl'; name: CtlName; args: (string | boolean)[] }
  /** the storage stack's files (`path` from `/` without the slash: `sys/block/md0/size`). */
  | { k: 'stack'; op: 'stat' | 'readdir' | 'readlink' | 'read' | 'write' | 'walk'; path: string; data?: string }
  | { k: 'exec'; argv: string[]; input?: string }
  /** size of a block device of the stack (a disk, /dev/md0, an LV), or undefined: what DRBD opens. */
  | { k: 'device'; path: string }
  /** what happens to disks behind sanform's back (drivers/sim/stack/control.ts). */
  | { k: 'disk'; action: DiskAction; path: string; sizeBytes?: number };

export type DiskAction = 'fail' | 'unplug' | 'plug' | 'resize';

/** Runs one operation against the emulated machine; returns its result or throws its ErrnoError. */
export function applyOp(world: SimWorld, op: EmuOp): unknown {
  const emu = world.scst;
  switch (op.k) {
    case 'stack': {
      const fs = world.stack.fs();
      if (op.op === 'write') return fs.write(op.path, op.data ?? '');
      if (op.op === 'walk') return fs.walk(op.path);
      return fs[op.op](op.path);
    }
    case 'exec':
      return world.stack.exec(op.argv, { input: op.input });
    case 'device':
      return world.stack.disks.get(op.path)?.sizeBytes;
    case 'disk':
      return diskControl(world, op);
    case 'stat':
      return emu.stat(op.path);
    case 'readdir':
      return emu.readdir(op.path);
    case 'readlink':
      return emu.readlink(op.path);
    case 'read':
      return emu.read(op.path);
    case 'truncate':
      return emu.truncate(op.path);
    case 'walk':
      return emu.walk(op.path, op.opts);
    case 'write':
      return emu.write(op.path, op.data);
    case 'ctl': {
      const c = emu.control;
      const [a, b, d] = op.args as string[];
      switch (op.name) {
        case 'login':
          return c.login(a, b, d);
        case 'logout':
          return c.logout(a, b, d);
        case 'iscsiDaemon':
          return c.iscsiDaemon(a as 'up' | 'down');
        case 'setAsync':
          return c.setAsync(op.args[0] === true);
        case 'setDebugEagain':
          return c.setDebugEagain(op.args[0] === true);
        case 'unplug':
          return c.unplug(a);
        case 'plug':
          return c.plug(a);
      }
    }
  }
  return undefined;
}

/** A disk fails, is pulled, comes back or grows (the layers above see it on their next look). */
function diskControl(world: SimWorld, op: { action: DiskAction; path: string; sizeBytes?: number }): void {
  const disks = world.stack.disks;
  switch (op.action) {
    case 'fail':
    case 'unplug':
      world.stack.lose(op.path, op.action);
      return;
    case 'plug':
      world.stack.plug(op.path, world.hardware());
      return;
    case 'resize':
      disks.resize(op.path, op.sizeBytes ?? 0);
      return;
  }
}
