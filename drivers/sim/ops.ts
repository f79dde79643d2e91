/**
 * Every operation on an emulated machine as a plain value, so a persistent machine can log the
 * ones that changed state and replay them in other processes.
 */
import type { ReadTreeOptions } from '../../reconciler/host/host.js';
import type { ScstEmulator } from '../scst/emulator/emulator.js';

export type CtlName = 'login' | 'logout' | 'iscsiDaemon' | 'setAsync' | 'setDebugEagain' | 'unplug' | 'plug';

export type EmuOp =
  | { k: 'stat' | 'readdir' | 'readlink' | 'read' | 'truncate'; path: string }
  | { k: 'walk'; path: string; opts?: ReadTreeOptions }
  | { k: 'write'; path: string; data: string }
  | { k: 'ctl'; name: CtlName; args: (string | boolean)[] };

/** Runs one operation against the SCST emulator; returns its result or throws its ErrnoError. */
export function applyOp(emu: ScstEmulator, op: EmuOp): unknown {
  switch (op.k) {
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
