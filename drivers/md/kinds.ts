/** md resource kinds, addresses and shapes. */
export const KINDS = ['md.array', 'md.conf', 'md.layer'] as const;

export const addr = {
  array: (name: string): string => `md/array/${name}`,
  conf: (): string => 'md/conf',
  layer: (): string => 'md/layer',
};

/** Where sanform keeps the ARRAY lines (ESOS assembles from it at boot; storage-stack.md §3.1). */
export const MDADM_CONF = '/etc/mdadm.conf';

export const CHUNKED = new Set(['raid0', 'raid4', 'raid5', 'raid6', 'raid10']);
export const DEFAULT_CHUNK = 512 * 1024;

export interface ArraySpec {
  level: string;
  /** active members, sorted (faulty ones stay until removed). */
  devices: string[];
  spares: string[];
  /** bytes; only for chunked levels. */
  chunk?: number;
  metadata: string;
  name: string;
}

export interface ArrayStatus {
  kernel: string;
  uuid: string;
  sizeBytes: number;
  faulty?: string[];
  fault?: string;
}

/** The device an array is created as: `/dev/mdN` for names of that form, else `/dev/md/NAME`. */
export const devicePath = (name: string): string => (/^md\d+$/.test(name) ? `/dev/${name}` : `/dev/md/${name}`);
