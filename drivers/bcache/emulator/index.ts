/**
 * The bcache emulator: the kernel side (`/sys/fs/bcache`, `/sys/block/<dev>/bcache`) and the
 * user-space tools (make-bcache, bcache-super-show) over one set of emulated disks. See
 * kernel.ts and tools.ts for what each models and what it does not.
 */
import type { ExecResult } from '../../../reconciler/host/host.js';
import { flatFs } from '../../sim/flat-tree.js';
import type { BlockDevices } from '../../sim/block-devices.js';
import type { BcacheState } from './kernel.js';
import { BcacheKernel, initialBcacheState } from './kernel.js';
import { bcacheSuperShow, makeBcache } from './tools.js';

export { BcacheKernel, initialBcacheState } from './kernel.js';
export type { BcacheState } from './kernel.js';
export { MemoryDisks, kernelName } from '../../sim/block-devices.js';
export type { BlockDevices, DiskSignature, EmuBlockDevice } from '../../sim/block-devices.js';
export type { Superblock, BackingSb, CacheSb } from './superblock.js';

export class BcacheEmulator {
  readonly kernel: BcacheKernel;
  /** the emulated /sys (paths relative to /sys: `fs/bcache/register`). */
  readonly fs: ReturnType<typeof flatFs>;

  constructor(
    readonly disks: BlockDevices,
    readonly st: BcacheState = initialBcacheState(),
    changed?: () => void,
    /** who else holds a device open (an SCST device, another layer), for make-bcache's O_EXCL. */
    private readonly openBy: (path: string) => string | undefined = () => undefined,
  ) {
    this.kernel = new BcacheKernel(st, disks, changed);
    this.fs = flatFs(() => this.kernel.tree());
  }

  /** The commands this emulator answers in `Host.exec`. */
  static readonly commands = ['make-bcache', 'bcache-super-show'] as const;

  exec(argv: string[]): ExecResult {
    const env = { disks: this.disks, uuid: () => this.kernel.nextUuid(), busy: (d: string) => this.kernel.isOpen(d) || this.disks.holders(d).length > 0 || this.openBy(d) !== undefined };
    if (argv[0] === 'make-bcache') return makeBcache(argv.slice(1), env);
    if (argv[0] === 'bcache-super-show') return bcacheSuperShow(argv.slice(1), env);
    return { exitCode: 127, stdout: '', stderr: `${argv[0]}: command not found\n` };
  }
}
