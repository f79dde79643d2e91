/**
 * The emulated machine's block devices, shared by every storage layer's emulator: which exist
 * (disks from the hardware profile, then md arrays, dm devices, bcacheN, sdtierX appearing and
 * disappearing), their sizes, the signature blkid/wipefs would find on each, their links
 * (`/dev/md/data`, `/dev/vg/lv`, `/dev/mapper/vg-lv`) and holders/slaves. Plain JSON state.
 */

import type { BlockDevices, DiskSignature, EmuBlockDevice } from '../block-devices.js';

export type { BlockDevices, DiskSignature, EmuBlockDevice } from '../block-devices.js';

/** The kernel name of a device path: `/dev/md1` -> `md1`. */
export const kernelName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

export interface DiskRecord extends EmuBlockDevice {
  sig?: DiskSignature;
  /** canonical paths this device sits on. */
  slaves: string[];
  /** a disk of the hardware profile (not made by a layer). */
  physical?: boolean;
  /** the disk fails every I/O (md marks it faulty). */
  failed?: boolean;
}

export interface DisksState {
  disks: Record<string, DiskRecord>;
  /** link path -> canonical path (`/dev/md/data` -> `/dev/md127`). */
  links: Record<string, string>;
}

export const emptyDisks = (): DisksState => ({ disks: {}, links: {} });

/** Block devices over a JSON state; `changed` is called on every mutation. */
export class StackDisks implements BlockDevices {
  constructor(
    readonly st: DisksState,
    private readonly changed: () => void = () => undefined,
  ) {}

  /** The canonical path of a path or link, if the device exists. */
  resolve(path: string): string | undefined {
    const p = this.st.links[path] ?? path;
    return this.st.disks[p] ? p : undefined;
  }
  record(path: string): DiskRecord | undefined {
    const p = this.resolve(path);
    return p ? this.st.disks[p] : undefined;
  }
  get(path: string): EmuBlockDevice | undefined {
    const r = this.record(path);
    return r && { path: r.path, sizeBytes: r.sizeBytes, ...(r.logicalBlockSize ? { logicalBlockSize: r.logicalBlockSize } : {}) };
  }
  list(): DiskRecord[] {
    return Object.values(this.st.disks).sort((a, b) => (a.path < b.path ? -1 : 1));
  }
  signature(path: string): DiskSignature | undefined {
    return this.record(path)?.sig;
  }
  setSignature(path: string, sig: DiskSignature | undefined): void {
    const r = this.record(path);
    if (!r) throw new Error(`${path}: no such emulated disk`);
    if (sig) r.sig = sig;
    else delete r.sig;
    this.changed();
  }
  holders(path: string): string[] {
    const p = this.resolve(path);
    if (!p) return [];
    return Object.values(this.st.disks)
      .filter((r) => r.slaves.includes(p))
      .map((r) => kernelName(r.path))
      .sort();
  }
  slaves(path: string): string[] {
    return (this.record(path)?.slaves ?? []).map(kernelName).sort();
  }
  add(dev: EmuBlockDevice, slaves: string[], links: string[] = []): void {
    this.st.disks[dev.path] = { ...dev, slaves: slaves.map((s) => this.resolve(s) ?? s) };
    for (const l of links) this.st.links[l] = dev.path;
    this.changed();
  }
  /** More names for an existing device (udev links). */
  link(path: string, links: string[]): void {
    for (const l of links) this.st.links[l] = path;
    this.changed();
  }
  resize(path: string, sizeBytes: number): void {
    const r = this.record(path);
    if (!r) throw new Error(`${path}: no such emulated disk`);
    r.sizeBytes = sizeBytes;
    this.changed();
  }
  remove(path: string): void {
    const p = this.resolve(path) ?? path;
    delete this.st.disks[p];
    for (const [l, t] of Object.entries(this.st.links)) if (t === p) delete this.st.links[l];
    this.changed();
  }
  /** Every path a device is known by (canonical first). */
  names(path: string): string[] {
    const p = this.resolve(path);
    if (!p) return [];
    return [p, ...Object.entries(this.st.links).filter(([, t]) => t === p).map(([l]) => l).sort()];
  }
}
