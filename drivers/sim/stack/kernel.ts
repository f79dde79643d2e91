/**
 * The storage stack's kernel side on the emulated machine: the shared block devices
 * (disks.ts), every registered layer (layers.ts) with its tools and files, and the generic files
 * of each block device under /sys/block (size, ro, dev, holders/, slaves/). Plain JSON state, so a
 * persistent machine replays it in every process.
 *
 * NOT modelled: I/O, udev timing (links appear at once), partitions made by tools (partitions
 * are hardware-profile disks), major:minor numbers beyond a stable counter, /sys/class/block.
 */
import { ErrnoError } from '../../../reconciler/core/errors.js';
import type { ExecResult } from '../../../reconciler/host/host.js';
import type { HardwareProfile } from '../hardware.js';
import { flatFs, link, ro, withParents, type FlatTree } from '../flat-tree.js';
import { StackDisks, emptyDisks, kernelName, type DiskRecord, type DisksState } from './disks.js';
import type { SimLayer, StackEnv } from './layer.js';
import { SIM_LAYERS } from './layers.js';
import { blkid, wipefs } from './tools.js';

export interface StackState {
  disks: DisksState;
  layers: Record<string, unknown>;
  counters: Record<string, number>;
  /** layers the machine lacks (their tools exit 127, their files are absent). */
  lacks: string[];
  hostname: string;
  /** disks pulled out (kept with their content, so plugging one back brings its signature back). */
  unplugged?: Record<string, DiskRecord>;
}

export function initialStackState(hw: HardwareProfile): StackState {
  const disks = emptyDisks();
  let minor = 0;
  for (const b of hw.blockDevices) {
    if (!b.path.startsWith('/dev/')) continue;
    disks.disks[b.path] = { path: b.path, sizeBytes: b.sizeBytes, slaves: [], physical: true };
    minor++;
  }
  const layers: Record<string, unknown> = {};
  for (const l of SIM_LAYERS) layers[l.name] = l.init();
  return { disks, layers, counters: { minor }, lacks: [...(hw.lacks ?? [])].sort(), hostname: hw.hostname };
}

export class StackKernel {
  generation = 0;
  readonly disks: StackDisks;
  /** who else holds a device open (the SCST emulator's devices), wired by the machine. */
  scstOpen: (path: string) => string | undefined = () => undefined;

  constructor(readonly st: StackState) {
    this.disks = new StackDisks(st.disks, () => this.generation++);
  }

  private present(): SimLayer[] {
    return SIM_LAYERS.filter((l) => !this.st.lacks.includes(l.name));
  }

  env(layer: SimLayer): StackEnv {
    this.st.layers[layer.name] ??= layer.init();
    return {
      disks: this.disks,
      hostname: this.st.hostname,
      state: <T>() => this.st.layers[layer.name] as T,
      changed: () => void this.generation++,
      openBy: (p) => this.openBy(p),
      next: (c) => {
        this.st.counters[c] = (this.st.counters[c] ?? 0) + 1;
        this.generation++;
        return this.st.counters[c];
      },
    };
  }

  /** Who holds a device open: an SCST device or a layer (not counting block holders). */
  openBy(path: string): string | undefined {
    const p = this.disks.resolve(path) ?? path;
    const names = this.disks.names(p);
    for (const n of names.length ? names : [p]) {
      const s = this.scstOpen(n);
      if (s) return s;
    }
    for (const l of this.present()) {
      const who = l.openBy?.(this.env(l), p);
      if (who) return who;
    }
    return undefined;
  }

  exec(argv: string[], opts: { input?: string } = {}): ExecResult {
    const cmd = argv[0] ?? '';
    const tool = cmd.slice(cmd.lastIndexOf('/') + 1);
    if (tool === 'blkid') return blkid(this.disks, argv.slice(1));
    if (tool === 'wipefs') return wipefs(this.disks, argv.slice(1), (p) => this.openBy(p));
    const layer = this.present().find((l) => l.commands.includes(tool));
    if (!layer) return { exitCode: 127, stdout: '', stderr: `${cmd}: command not found on the emulated machine\n` };
    return layer.exec(this.env(layer), [tool, ...argv.slice(1)], opts);
  }

  /** Answers `which tool` for the sim host (registered commands). */
  commands(): string[] {
    return ['blkid', 'wipefs', ...this.present().flatMap((l) => l.commands)];
  }

  /** The whole emulated /sys/block, /proc and layer files, paths from `/` without the slash. */
  tree(): FlatTree {
    const t: FlatTree = new Map();
    for (const d of this.disks.list()) {
      const k = `sys/block/${kernelName(d.path)}`;
      t.set(`${k}/size`, ro(() => `${Math.floor(d.sizeBytes / 512)}\n`));
      t.set(`${k}/ro`, ro(() => '0\n'));
      t.set(`${k}/holders`, { type: 'dir' });
      t.set(`${k}/slaves`, { type: 'dir' });
      for (const h of this.disks.holders(d.path)) t.set(`${k}/holders/${h}`, link(`../../${h}`));
      for (const s of this.disks.slaves(d.path)) t.set(`${k}/slaves/${s}`, link(`../../${s}`));
      t.set(`sys/class/block/${kernelName(d.path)}`, link(`../../block/${kernelName(d.path)}`));
    }
    t.set('proc', { type: 'dir' });
    for (const l of this.present()) for (const [p, e] of l.tree?.(this.env(l)) ?? []) t.set(p, e);
    return withParents(t);
  }

  /** The tree as an EmulatedFs rooted at `/` (paths without the leading slash). */
  fs(): ReturnType<typeof flatFs> {
    return flatFs(() => this.tree());
  }

  /** A disk fails (`fail`: still there, I/O errors) or is pulled (`unplug`: gone); the layers react. */
  lose(path: string, how: 'fail' | 'unplug'): void {
    const p = this.disks.resolve(path);
    if (!p) throw new ErrnoError('ENOENT', { path, message: `${path}: no such emulated disk` });
    if (how === 'unplug') {
      (this.st.unplugged ??= {})[p] = structuredClone(this.st.disks.disks[p]!);
      this.disks.remove(p);
    } else {
      this.st.disks.disks[p]!.failed = true;
      this.generation++;
    }
    for (const l of this.present()) l.lost?.(this.env(l), p, how);
  }

  /** A pulled disk comes back with its content (or a profile disk that was never there appears). */
  plug(path: string, hw: HardwareProfile): void {
    const saved = this.st.unplugged?.[path];
    if (saved) {
      delete this.st.unplugged![path];
      this.st.disks.disks[path] = saved;
      this.generation++;
      return;
    }
    const b = hw.blockDevices.find((x) => x.path === path);
    if (!b || this.disks.get(path)) throw new ErrnoError('EEXIST', { path, message: `${path}: not a pulled disk` });
    this.disks.add({ path, sizeBytes: b.sizeBytes }, []);
  }

  toJSON(): StackState {
    return this.st;
  }
}

/** Whether an absolute path is served by the stack (not the SCST emulator). */
export const isStackPath = (path: string): boolean =>
  path === '/sys/block' || path.startsWith('/sys/block/') || path === '/proc' || path.startsWith('/proc/') || path.startsWith('/sys/fs/') || path.startsWith('/sys/class/misc/') || path === '/sys/class/block' || path.startsWith('/sys/class/block/');

/** `/sys/block/md0` -> `sys/block/md0`; anything else is ENOENT. */
export function stackRel(path: string): string {
  if (!isStackPath(path)) throw new ErrnoError('ENOENT', { path, message: `${path}: not emulated` });
  return path.slice(1).replace(/\/+$/, '');
}
