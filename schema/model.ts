/**
 * TypeScript mirror of the desired-state file (JSON Schema in this folder). The loader returns a
 * `SanformModel` only after schema and cross-reference validation passed, so consumers may rely
 * on these shapes. sanform's own fields are camelCase; kernel attribute names pass through
 * verbatim under `attributes`.
 */

export type DriftMode = 'off' | 'warn' | 'correct';
export type AttrValue = string | number | boolean;
export type Attributes = Record<string, AttrValue>;

/** Restricts an object to some nodes of a pair (absent: every node). */
export interface NodeScoped {
  node?: string | string[];
}

export interface SanformModel {
  version: 1;
  nodes?: Record<string, NodeSpec>;
  secrets?: Record<string, SecretSpec>;
  storage?: StorageSpec;
  scst?: ScstSpec;
  policy?: PolicySpec;
  alerts?: AlertSpec[];
}

export interface NodeSpec {
  /** management address of the node. */
  address?: string;
  /** host name the node reports, when it differs from the key. */
  hostname?: string;
  /** how `apply --pair` reaches this node: `ssh:HOST`, `sim:DIR` or `local`. */
  host?: string;
  /** this node's bare state repository as git reaches it from its peer (the hook forwards pushes there). */
  repo?: string;
}

/** A reference to a secret: its value is never in the file. */
export type SecretSpec = { file: string } | { env: string };

// ---------------------------------------------------------------- scst

export type VdiskHandler = 'vdisk_fileio' | 'vdisk_blockio' | 'vdisk_nullio' | 'vcdrom';
export type Handler = VdiskHandler | 'dev_disk';

export interface DeviceSpec extends NodeScoped {
  handler: Handler;
  /** backing file or block device (fileio, blockio; vcdrom: the inserted medium). */
  filename?: string;
  blocksize?: number;
  readOnly?: boolean;
  nvCache?: boolean;
  oDirect?: boolean;
  async?: boolean;
  writeThrough?: boolean;
  rotational?: boolean;
  thinProvisioned?: boolean;
  removable?: boolean;
  /** nullio only: answer INQUIRY as "not connected" (LUN 0 placeholder). */
  dummy?: boolean;
  /** nullio, blockio: size in bytes; the file may say `10G` (K/M/G/T are powers of 1024), the loader stores bytes. */
  size?: number;
  active?: boolean;
  clusterMode?: boolean;
  bindAluaState?: boolean;
  t10DevId?: string;
  t10VendId?: string;
  vendSpecificId?: string;
  prodId?: string;
  prodRevLvl?: string;
  usn?: string;
  naaId?: string;
  eui64Id?: string;
  scsiDeviceName?: string;
  threadsNum?: number;
  threadsPoolType?: 'per_initiator' | 'shared';
  /** any other kernel attribute, verbatim (create parameter or runtime attribute). */
  attributes?: Attributes;
  /** values that differ on one node of a pair. */
  perNode?: Record<string, Partial<Omit<DeviceSpec, 'perNode' | 'node' | 'handler'>>>;
  drift?: DriftMode;
}

/** A LUN is a device name, or a device with options. */
export type LunSpec = string | { device: string; readOnly?: boolean };

export interface GroupSpec {
  /** initiator names or patterns (`*`, `?`, leading `!`), SCST syntax. */
  initiators?: string[];
  luns?: Record<string, LunSpec>;
  attributes?: Attributes;
}

export interface ChapUser {
  user: string;
  /** name of an entry in `secrets`. */
  secret: string;
}

export interface IscsiAuth {
  incoming?: ChapUser[];
  outgoing?: ChapUser;
}

export interface TargetSpec extends NodeScoped {
  /** default true: a declared target is enabled after its LUNs and groups exist. */
  enabled?: boolean;
  relTgtId?: number;
  comment?: string;
  /** default LUN set (sessions matching no group). */
  luns?: Record<string, LunSpec>;
  groups?: Record<string, GroupSpec>;
  /** iSCSI only. */
  auth?: IscsiAuth;
  /** iSCSI only: portals the target is served on (`allowed_portal`). */
  allowedPortals?: string[];
  /** qla2x00t NPIV targets only. */
  npiv?: { nodeName: string; parentHost: string };
  attributes?: Attributes;
  perNode?: Record<string, Partial<Pick<TargetSpec, 'enabled' | 'relTgtId' | 'comment' | 'attributes'>>>;
  drift?: DriftMode;
}

export type TargetDriver = 'iscsi' | 'qla2x00t' | 'ib_srpt' | 'fcst' | 'scst_local';

export interface DriverSpec {
  enabled?: boolean;
  /** iSCSI discovery CHAP. */
  auth?: IscsiAuth;
  attributes?: Attributes;
}

export type AluaState = 'active' | 'nonoptimized' | 'standby' | 'unavailable' | 'offline' | 'transitioning';

export interface TargetGroupSpec {
  groupId: number;
  state?: AluaState;
  preferred?: boolean;
  /** the node whose targets are in this group: local there, remote (with relTgtId) elsewhere. */
  node?: string;
  /** target names; a remote target needs its relTgtId. */
  targets: Record<string, { relTgtId?: number }> | string[];
  perNode?: Record<string, { state?: AluaState; preferred?: boolean }>;
  attributes?: Attributes;
}

export interface DeviceGroupSpec {
  devices: string[];
  targetGroups: Record<string, TargetGroupSpec>;
  attributes?: Attributes;
}

export interface ScstSpec {
  /** setup_id; the file may write it in hex (`"0x5a01"`), the loader stores the number. */
  setupId?: number;
  clusterName?: string;
  /** other core attributes under /sys/kernel/scst_tgt (threads, max_tasklet_cmd, ...). */
  attributes?: Attributes;
  devices?: Record<string, DeviceSpec>;
  drivers?: Partial<Record<TargetDriver | 'copy_manager', DriverSpec>>;
  targets?: Partial<Record<TargetDriver | 'copy_manager', Record<string, TargetSpec>>>;
  alua?: { deviceGroups?: Record<string, DeviceGroupSpec>; attributes?: Attributes };
}

// ---------------------------------------------------------------- storage (shaped; later issues)

export interface MdSpec extends NodeScoped {
  level: 'raid0' | 'raid1' | 'raid4' | 'raid5' | 'raid6' | 'raid10' | 'linear';
  devices: string[];
  spares?: string[];
  chunk?: string;
  metadata?: '1.0' | '1.1' | '1.2';
  name?: string;
}

export interface LvSpec {
  size: string;
  type?: 'linear' | 'striped' | 'thin' | 'thin-pool';
  cache?: { pool: string; mode?: 'writethrough' | 'writeback' | 'passthrough'; policy?: string };
  /** PVs of the VG to allocate it on (a cache pool on the SSD); any PV of the VG when absent. */
  pvs?: string[];
}

export interface VgSpec extends NodeScoped {
  pvs: string[];
  lvs?: Record<string, LvSpec>;
}

export interface DrbdVolumeSpec {
  device: string;
  disk: string;
  metaDisk?: string;
}

export interface DrbdSpec {
  protocol?: 'A' | 'B' | 'C';
  volumes: Record<string, DrbdVolumeSpec>;
  nodes: Record<string, { address: string; nodeId?: number; role?: 'primary' | 'secondary' }>;
  options?: Record<string, AttrValue>;
}

export interface BcacheSpec extends NodeScoped {
  backing: string;
  cache?: string;
  mode?: 'writethrough' | 'writeback' | 'writearound' | 'none';
  attributes?: Attributes;
}

export interface BtierSpec extends NodeScoped {
  devices: string[];
  attributes?: Attributes;
}

export interface Retention {
  last?: number;
  hourly?: number;
  daily?: number;
  weekly?: number;
  monthly?: number;
}

export interface SnapshotSetSpec extends NodeScoped {
  btrfs: string;
  every?: string;
  at?: string[];
  keep: Retention;
  consistency?: 'crash' | { freeze: string[]; thaw: string[] };
  replicate?: { to: string; path: string; keep?: Retention };
}

export interface StorageSpec {
  snapshots?: Record<string, SnapshotSetSpec>;
  md?: Record<string, MdSpec>;
  lvm?: Record<string, VgSpec>;
  drbd?: Record<string, DrbdSpec>;
  bcache?: Record<string, BcacheSpec>;
  btier?: Record<string, BtierSpec>;
}

// ---------------------------------------------------------------- policy, alerts

export type ChangeAction = 'create' | 'update' | 'replace' | 'delete';

export interface Approval {
  address: string;
  action: ChangeAction;
  reason: string;
}

export interface PolicySpec {
  drift?: { mode?: DriftMode; interval?: string; ignore?: { address: string; fields?: string[] }[] };
  /**
   * live objects of managed kinds that the file does not declare: `owned` (default; `true` is the
   * same) deletes those sanform created or adopted and leaves the rest (reported as unmanaged);
   * `all` deletes every one; `false` none.
   */
  prune?: boolean | 'owned' | 'all';
  approvals?: Approval[];
  /** on a pair: what the cluster manager owns (never changed by sanform after create). */
  ha?: HaPolicy;
}

export interface HaPolicy {
  /** default pacemaker: DRBD roles and ALUA target-group states are cluster-owned. */
  manager?: 'pacemaker' | 'none';
  clusterOwned?: { address: string; fields?: string[] }[];
}

export type AlertSpec =
  | { type: 'log' }
  | { type: 'command'; argv: string[]; format?: 'json' | 'mail'; to?: string }
  | { type: 'webhook'; url: string; headers?: Record<string, string>; retries?: number }
  | { type: 'metrics'; textfile?: string; listen?: string };
