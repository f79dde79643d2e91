/** The md layer's emulated kernel state (plain JSON, persisted with the machine). */
export type MdLevel = 'raid0' | 'raid1' | 'raid4' | 'raid5' | 'raid6' | 'raid10' | 'linear';

export interface MdMember {
  /** canonical device path. */
  path: string;
  /** slot in the array, or `spare`. */
  role: number | 'spare';
  faulty?: boolean;
}

export interface MdArray {
  /** kernel name: `md0`, `md127`. */
  kernel: string;
  /** the md name (`/dev/md/NAME`). */
  name: string;
  homehost: string;
  level: MdLevel;
  raidDisks: number;
  /** bytes; 0 for raid1 and linear. */
  chunk: number;
  metadata: string;
  /** mdadm form: 4 groups of 8 hex digits separated by `:`. */
  uuid: string;
  members: MdMember[];
  /** bytes of each member used for data. */
  componentSize: number;
  syncAction: 'idle' | 'resync' | 'recover' | 'reshape';
}

export interface MdState {
  arrays: Record<string, MdArray>;
}

export const initialMdState = (): MdState => ({ arrays: {} });

/** Bytes a 1.x superblock reserves before the data (mdadm's default data offset on large disks). */
export const DATA_OFFSET = 128 * 1024 * 1024;

/** Usable size of an array from its level, members and component size. */
export function arraySize(a: Pick<MdArray, 'level' | 'raidDisks' | 'componentSize'>): number {
  const n = a.raidDisks;
  const m = a.componentSize;
  switch (a.level) {
    case 'raid0':
    case 'linear':
      return n * m;
    case 'raid1':
      return m;
    case 'raid4':
    case 'raid5':
      return (n - 1) * m;
    case 'raid6':
      return (n - 2) * m;
    case 'raid10':
      return Math.floor((n * m) / 2);
  }
}

/** Fewest raid devices each level accepts (mdadm's checks). */
export const MIN_DEVICES: Record<MdLevel, number> = { raid0: 1, linear: 1, raid1: 1, raid4: 2, raid5: 2, raid6: 4, raid10: 2 };

export const active = (a: MdArray): MdMember[] => a.members.filter((m) => m.role !== 'spare' && !m.faulty);
export const degraded = (a: MdArray): number => a.raidDisks - active(a).length;
