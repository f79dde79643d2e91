/**
 * What the block-layer emulators (bcache, btier) need of the emulated machine's block devices: which exist
 * and how big they are, the signature blkid would find on each (a file system, an md or LVM
 * superblock, a bcache superblock), whether something holds them open exclusively, and a way to
 * make kernel block devices (bcacheN, sdtierX) appear and disappear. SimHost backs this with its
 * disk model; tests use `MemoryDisks`.
 */

/** A signature on a device as blkid reports it; `data` carries the layer's own superblock. */
export interface DiskSignature {
  /** blkid TYPE: `bcache`, `ext4`, `linux_raid_member`, `LVM2_member`, `btier` ... */
  type: string;
  uuid?: string;
  label?: string;
  /** byte offset of the magic (wipefs's OFFSET column). */
  offset: number;
  /** the layer's superblock fields (bcache: a Superblock), JSON only. */
  data?: unknown;
}

export interface EmuBlockDevice {
  /** `/dev/sdb`, `/dev/md1`, `/dev/bcache0`. */
  path: string;
  sizeBytes: number;
  /** logical block size in bytes (512 unless the device says otherwise). */
  logicalBlockSize?: number;
}

export interface BlockDevices {
  get(path: string): EmuBlockDevice | undefined;
  signature(path: string): DiskSignature | undefined;
  setSignature(path: string, sig: DiskSignature | undefined): void;
  /** kernel names of what holds the device (`/sys/block/X/holders`), e.g. `['bcache0']`. */
  holders(path: string): string[];
  /** a new kernel block device over `slaves` (their holders gain it). */
  add(dev: EmuBlockDevice, slaves: string[]): void;
  /** the device goes away (its slaves lose it as a holder). */
  remove(path: string): void;
  /** the canonical path behind a link (`/dev/vg/lv` -> `/dev/dm-3`), when the machine has links. */
  resolve?(path: string): string | undefined;
}

/** The canonical path of a device path (itself when there are no links or it is not one). */
export const canonical = (disks: BlockDevices, path: string): string => disks.resolve?.(path) ?? path;

/** The kernel name of a device path: `/dev/md1` -> `md1`. */
export const kernelName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

interface DiskRecord extends EmuBlockDevice {
  sig?: DiskSignature;
  slaves: string[];
}

/** An in-memory set of block devices whose state is plain JSON. */
export class MemoryDisks implements BlockDevices {
  constructor(readonly st: { disks: Record<string, DiskRecord> } = { disks: {} }) {}

  static of(devs: EmuBlockDevice[]): MemoryDisks {
    const d = new MemoryDisks();
    for (const dev of devs) d.add(dev, []);
    return d;
  }

  get(path: string): EmuBlockDevice | undefined {
    const r = this.st.disks[path];
    return r && { path: r.path, sizeBytes: r.sizeBytes, logicalBlockSize: r.logicalBlockSize };
  }
  signature(path: string): DiskSignature | undefined {
    return this.st.disks[path]?.sig;
  }
  setSignature(path: string, sig: DiskSignature | undefined): void {
    const r = this.st.disks[path];
    if (!r) throw new Error(`${path}: no such emulated disk`);
    if (sig) r.sig = sig;
    else delete r.sig;
  }
  holders(path: string): string[] {
    return Object.values(this.st.disks)
      .filter((r) => r.slaves.includes(path))
      .map((r) => kernelName(r.path))
      .sort();
  }
  add(dev: EmuBlockDevice, slaves: string[]): void {
    this.st.disks[dev.path] = { ...dev, slaves: [...slaves] };
  }
  remove(path: string): void {
    delete this.st.disks[path];
  }
}
