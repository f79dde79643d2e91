/**
 * bcache resources. `bcache/NAME` (kind bcache.device) is a backing device exported as
 * /dev/NAME; `bcache/cache/KNAME` (kind bcache.cache) is a cache set on one cache device, which
 * several bcache devices may share. Desired and observed have the same shape.
 */
import type { AttrValue } from '../../schema/model.js';

export const KINDS = ['bcache.device', 'bcache.cache', 'bcache.layer'] as const;
export const MANAGED = ['bcache.device', 'bcache.cache'];

export const addr = {
  device: (name: string) => `bcache/${name}`,
  cache: (kname: string) => `bcache/cache/${kname}`,
  layer: () => 'bcache/layer',
};

/** The name in an address (`bcache/bcache0` -> `bcache0`). */
export const nameOf = (address: string): string => address.slice(address.lastIndexOf('/') + 1);

export type CacheModeName = 'writethrough' | 'writeback' | 'writearound' | 'none';

export interface DeviceSpec {
  backing: string;
  cache?: string;
  mode?: CacheModeName;
  /** runtime tunables under /sys/block/bcacheN/bcache: desired values canonical (bytes as numbers), observed as the kernel prints them. */
  attributes?: Record<string, AttrValue>;
}

export interface DeviceStatus {
  /** `bcache0` while the device runs. */
  kernelName?: string;
  /** backing device's kernel name (`md1`). */
  backingKernel: string;
  state: string;
  dirtyBytes: number;
  setUuid?: string;
  label: string;
  /** set when its cache went away (drift class hardware). */
  fault?: string;
}

export interface CacheSpec {
  device: string;
}

export interface CacheStatus {
  setUuid: string;
  kernelName: string;
}

/** What blkid found on each device, for people: `ext4 (UUID 1c45...)`, keyed by /dev path. */
export interface LayerStatus {
  signatures: Record<string, string>;
  /** kernel names of every block device (`/sys/class/block`), when the machine shows them. */
  present?: string[];
  /** bcache superblocks not registered yet, by /dev path (bcache-super-show). */
  superblocks?: Record<string, UnregisteredSb>;
}

/**
 * What an unregistered superblock says: its set UUID (a backing device attaches itself at
 * registration to a registered set of that UUID), and for a backing device its state and mode.
 */
export interface UnregisteredSb {
  kind: 'cache' | 'backing';
  state?: string;
  mode?: string;
  setUuid?: string;
}

/** Tunables sanform manages when the file sets them; sizes the kernel prints with hprint. */
export const TUNABLES = ['sequential_cutoff', 'writeback_percent', 'writeback_delay', 'writeback_running', 'readahead'] as const;
export const HPRINT_TUNABLES = new Set(['sequential_cutoff', 'readahead']);
/** Kernel defaults (drivers/md/bcache/super.c): what import leaves out. */
export const TUNABLE_DEFAULTS: Record<string, string> = {
  sequential_cutoff: '4.0M', writeback_percent: '10', writeback_delay: '30', writeback_running: '1', readahead: '0.0k',
};
