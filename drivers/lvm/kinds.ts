/** LVM resource kinds, addresses and shapes. */
export const KINDS = ['lvm.vg', 'lvm.lv', 'lvm.layer'] as const;
export const MANAGED = ['lvm.vg', 'lvm.lv'] as const;

export const addr = {
  vg: (vg: string): string => `lvm/vg/${vg}`,
  lv: (vg: string, lv: string): string => `lvm/lv/${vg}/${lv}`,
  layer: (): string => 'lvm/layer',
};

/** The extent size sanform creates VGs with (lvm2's default); sizes round up to it. */
export const DEFAULT_EXTENT = 4 * 1024 * 1024;
export const DEFAULT_CACHE_MODE = 'writethrough';
export const DEFAULT_CACHE_POLICY = 'smq';

export interface VgSpec {
  /** PV device paths, sorted. */
  pvs: string[];
}

export interface VgStatus {
  uuid: string;
  sizeBytes: number;
  freeBytes: number;
  extentSize: number;
  fault?: string;
}

export type LvType = 'linear' | 'cache-pool' | 'snapshot';

export interface LvCache {
  pool: string;
  mode?: string;
  policy?: string;
}

export interface LvSpec {
  vg: string;
  name: string;
  type: LvType;
  /** bytes (desired: as the file says; observed: whole extents). */
  size?: number;
  /** desired only: `-l` form of a percentage size (`100%FREE`), used at create, never compared. */
  extents?: string;
  cache?: LvCache;
  /** snapshots: the origin LV. */
  origin?: string;
  /** desired only: PVs to allocate on. */
  pvs?: string[];
}

export interface LvStatus {
  uuid: string;
  sizeBytes: number;
  extentSize: number;
  /** `dm-N` while active. */
  kernel?: string;
  /** a cache pool attached to an LV: that LV. */
  attachedTo?: string;
  fault?: string;
}

export interface LayerStatus {
  /** blkid's view of the machine's devices (path -> `ext4 "data"`), for the pvcreate guard. */
  signatures: Record<string, string>;
  /** devices that are PVs in no VG. */
  orphans: string[];
  unavailable?: string;
  hint?: string;
}

/** The dm name of an LV: dashes doubled (`vg-a`/`lv` -> `vg--a-lv`). */
export const dmName = (vg: string, lv: string): string => `${vg.replaceAll('-', '--')}-${lv.replaceAll('-', '--')}`;

/** `vg/lv` of an LV address. */
export const lvFull = (address: string): string => address.split('/').slice(2).join('/');

/** Bytes as an lvm2 `-L` size: the largest binary unit that divides exactly (`200G`), else `Nb`. */
export function sizeArg(bytes: number): string {
  for (const [u, n] of [['T', 1024 ** 4], ['G', 1024 ** 3], ['M', 1024 ** 2], ['K', 1024]] as const) if (bytes % n === 0) return `${bytes / n}${u}`;
  return `${bytes}b`;
}

export const roundUp = (bytes: number, extent: number): number => Math.ceil(bytes / extent) * extent;
