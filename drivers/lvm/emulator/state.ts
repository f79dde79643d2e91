/** The LVM layer's emulated metadata (plain JSON, persisted with the machine) and its arithmetic. */

export const MiB = 1024 * 1024;
/** Where the first extent starts on a PV (lvm2's default data alignment). */
export const PE_START = MiB;
export const DEFAULT_EXTENT = 4 * MiB;

export interface LvmPv {
  /** canonical device path. */
  path: string;
  uuid: string;
  /** the device size pvcreate recorded (what the PV offers until a pvresize). */
  devSize: number;
  /** the VG it belongs to; absent for an orphan PV. */
  vg?: string;
}

/** A run of extents of an LV on one PV. */
export interface LvmSeg {
  pv: string;
  start: number;
  count: number;
}

/**
 * linear: a plain LV; cache-pool (with its hidden cdata/cmeta sub-LVs); cache: an LV with a
 * cache pool attached (its data moved to the hidden corig); snapshot: a COW snapshot of
 * `origin`; pmspare: the VG's spare pool metadata.
 */
export type LvKind = 'linear' | 'cache-pool' | 'cdata' | 'cmeta' | 'pmspare' | 'cache' | 'corig' | 'snapshot';

export interface LvmLv {
  name: string;
  uuid: string;
  kind: LvKind;
  /** extents it owns directly (none for cache-pool and cache: their sub-LVs own them). */
  segs: LvmSeg[];
  hidden?: boolean;
  /** activated: its /dev/dm-N exists. */
  active?: boolean;
  /** dm minor while active. */
  minor?: number;
  /** cache-pool: its data and metadata sub-LVs and chunk size; cache: the pool and the corig. */
  data?: string;
  meta?: string;
  chunk?: number;
  pool?: string;
  mode?: string;
  policy?: string;
  /** snapshot: the origin LV; cache: the corig sub-LV. */
  origin?: string;
  /** sub-LVs: their owner (cdata/cmeta: the pool; corig: the cached LV). */
  parent?: string;
}

export interface LvmVg {
  name: string;
  uuid: string;
  extentSize: number;
  /** PV paths in the order they joined. */
  pvs: string[];
  lvs: Record<string, LvmLv>;
  seqno: number;
}

export interface LvmState {
  pvs: Record<string, LvmPv>;
  vgs: Record<string, LvmVg>;
}

export const initialLvmState = (): LvmState => ({ pvs: {}, vgs: {} });

/** Extents a PV of `devSize` bytes gives a VG with this extent size. */
export const peCount = (devSize: number, extent: number): number => Math.max(0, Math.floor((devSize - PE_START) / extent));

/** Extents an LV owns, its own and through its sub-LVs (a cache LV: its corig; a pool: its data). */
export function lvExtents(vg: LvmVg, lv: LvmLv): number {
  if (lv.kind === 'cache-pool') return lvExtents(vg, vg.lvs[lv.data!]!);
  if (lv.kind === 'cache') return lvExtents(vg, vg.lvs[lv.origin!]!);
  return lv.segs.reduce((n, s) => n + s.count, 0);
}

export const lvBytes = (vg: LvmVg, lv: LvmLv): number => lvExtents(vg, lv) * vg.extentSize;

/** The PVs an LV's data lies on, through its sub-LVs (pool data and metadata, corig). */
export function lvPvs(vg: LvmVg, lv: LvmLv): string[] {
  const subs = lv.kind === 'cache-pool' ? [lv.data!, lv.meta!] : lv.kind === 'cache' ? [lv.origin!, lv.pool!] : [];
  const own = lv.segs.map((s) => s.pv);
  return [...new Set([...own, ...subs.flatMap((n) => lvPvs(vg, vg.lvs[n]!))])].sort();
}

/** Used extents of every PV of a VG, as [start, count] runs sorted by start. */
export function usedRuns(vg: LvmVg): Map<string, [number, number][]> {
  const m = new Map<string, [number, number][]>(vg.pvs.map((p) => [p, []]));
  for (const lv of Object.values(vg.lvs)) for (const s of lv.segs) m.get(s.pv)?.push([s.start, s.count]);
  for (const runs of m.values()) runs.sort((a, b) => a[0] - b[0]);
  return m;
}

/** Free runs of one PV with `total` extents. */
export function freeRuns(used: [number, number][], total: number): [number, number][] {
  const out: [number, number][] = [];
  let at = 0;
  for (const [s, c] of used) {
    if (s > at) out.push([at, s - at]);
    at = Math.max(at, s + c);
  }
  if (at < total) out.push([at, total - at]);
  return out;
}

/** The dm name of an LV: dashes in either name are doubled (`vg-a`/`lv` -> `vg--a-lv`). */
export const dmName = (vg: string, lv: string): string => `${vg.replaceAll('-', '--')}-${lv.replaceAll('-', '--')}`;

/** Sizes as lvm prints them in messages: `52.00 MiB`. */
export function humanSize(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = bytes;
  let u = 'B';
  for (const name of units) {
    if (v < 1024) break;
    v /= 1024;
    u = name;
  }
  return u === 'B' ? `${bytes} B` : `${v.toFixed(2)} ${u}`;
}

/** Sizes as a report prints them without `--units`: `196.00m`, `0 `. */
export function reportSize(bytes: number): string {
  if (bytes === 0) return '0 ';
  const units = ['k', 'm', 'g', 't', 'p', 'e'];
  let v = bytes;
  let u = '';
  for (const name of units) {
    if (v < 1024) break;
    v /= 1024;
    u = name;
  }
  return u === '' ? `${bytes}b` : `${v.toFixed(2)}${u}`;
}
