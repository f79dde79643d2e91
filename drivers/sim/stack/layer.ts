/**
 * How a storage layer's emulator plugs into the emulated machine (drivers/sim/stack/kernel.ts):
 * its tools in `Host.exec`, its files under /sys and /proc, and its part of the machine's state.
 * Register it in `layers.ts`.
 */
import type { ExecResult } from '../../../reconciler/host/host.js';
import type { FlatTree } from '../flat-tree.js';
import type { StackDisks } from './disks.js';

/** What a layer sees of the machine. */
export interface StackEnv {
  disks: StackDisks;
  /** this layer's state (from `init`, persisted with the machine). */
  state<T>(): T;
  /** call after every change of the layer's state (persistence and generation). */
  changed(): void;
  /** who holds a device open apart from block holders: an SCST device (`scst device vm`), or undefined. */
  openBy(path: string): string | undefined;
  /** the machine's host name (md's homehost). */
  hostname: string;
  /** a stable counter for ids (uuids, minors) that replays identically. */
  next(counter: string): number;
}

export interface SimLayer {
  /** `md`, `lvm`, `bcache`, `btier`: also the name a hardware profile's `lacks` uses. */
  name: string;
  /** argv[0] values it answers in `Host.exec` (`mdadm`; `lvm`, `pvcreate` ...). */
  commands: readonly string[];
  /** its state on a fresh machine. */
  init(): unknown;
  exec(env: StackEnv, argv: string[], opts: { input?: string }): ExecResult;
  /** its files, paths from `/` without the leading slash (`sys/block/md0/md/level`, `proc/mdstat`). */
  tree?(env: StackEnv): FlatTree;
  /** whether it holds `path` open (an array member, a PV in an active VG): who, for error messages. */
  openBy?(env: StackEnv, path: string): string | undefined;
  /** a device under it failed or was pulled (md: the member goes faulty; LVM: the PV is missing). */
  lost?(env: StackEnv, path: string, how: 'fail' | 'unplug'): void;
}
