/**
 * Opening a backing store the way vdisk does at add_device / active=1 / media insert: the path must
 * be absolute; a missing one fails with ENOENT, a directory or special file with EINVAL; blockio
 * needs a block device (ENOTBLK otherwise). Block devices come from the hardware profile, regular
 * files from the sim's own files/ or the real file system (statSync), and nothing else under /dev exists.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Ctx, Probe } from './node.js';
import type { HardwareProfile } from '../../sim/hardware.js';
import { fail } from './lexer.js';

/** Size in bytes of the opened store, or throws the open errno. */
export function openBackingStore(ctx: Ctx, o: { device: string; handler: string; path: string }): number {
  if (!o.path.startsWith('/')) fail('EINVAL', `${o.device}: file name must be absolute`);
  const p = ctx.probe(o.path);
  if (p.kind === 'missing') fail('ENOENT', `${o.device}: cannot open ${o.path}`);
  if (p.kind === 'dir' || p.kind === 'other') fail('EINVAL', `${o.device}: ${o.path} is neither a file nor a block device`);
  if (o.handler === 'vdisk_blockio' && p.kind !== 'block') fail('ENOTBLK', `${o.device}: ${o.path} is not a block device`);
  return p.size;
}

/**
 * The live oracle: hardware profile for /dev, the real file system for everything else. With
 * `filesRoot` (a sim DIR's `files/`), a path that exists under it is the machine's own file
 * (`files/srv/x.img` for /srv/x.img); the real path is looked at otherwise.
 */
export function liveProbe(hw: HardwareProfile, o: { filesRoot?: string } = {}): (path: string) => Probe {
  return (path) => {
    const bd = hw.blockDevices.find((b) => b.path === path);
    if (bd) return { kind: 'block', size: bd.sizeBytes };
    if (path === '/dev' || path.startsWith('/dev/')) return { kind: path === '/dev' ? 'dir' : 'missing', size: 0 };
    const own = o.filesRoot !== undefined ? join(o.filesRoot, path) : undefined;
    try {
      const s = statSync(own !== undefined && existsSync(own) ? own : path);
      if (s.isFile()) return { kind: 'file', size: s.size };
      if (s.isDirectory()) return { kind: 'dir', size: 0 };
      return { kind: 'other', size: 0 };
    } catch {
      return { kind: 'missing', size: 0 };
    }
  };
}
