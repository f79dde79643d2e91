/**
 * The attribute table (reference/scst-sysfs.md §1.1, §1.3, §1.5, §5): for every attribute sanform
 * understands, its value type, kernel default, whether it is a create parameter and whether it can
 * be written in place. One rule for all of them: an attribute the YAML does not set is not
 * managed (dropping it from the file leaves the live value alone; to go back to the default, write
 * the default). Attributes not in the table pass through verbatim and are compared when set.
 */
import type { AttrValue } from '../../schema/model.js';

export type ValueType = 'bool' | 'int' | 'hex' | 'text' | 'yesno' | 'word';

export interface AttrRule {
  type: ValueType;
  /** kernel default in canonical form; absent when there is none to compare with (generated). */
  default?: AttrValue;
  /** handlers that take it as an add_device parameter (devices only). */
  create?: readonly string[];
  /** writable in place (a plain attribute write). */
  writable?: boolean;
  /** a SCSI identifier the initiators see: changing it on an exported device is an identity change. */
  identity?: boolean;
  /**
   * a role a failover moves (an ALUA state): import writes it even at its default, so the file
   * keeps saying which side serves and drift can tell a failover from a hand edit.
   */
  role?: boolean;
}

const F = 'vdisk_fileio';
const B = 'vdisk_blockio';
const N = 'vdisk_nullio';
const C = 'vcdrom';
const FB = [F, B] as const;
const FBN = [F, B, N] as const;

/** create-only: the kernel file is read-only; a change re-creates the device. */
const createOnly = (type: ValueType, def: AttrValue | undefined, create: readonly string[]): AttrRule => ({ type, default: def, create });
/** writable in place, with a fixed kernel default. */
const settable = (type: ValueType, def: AttrValue, extra: Partial<AttrRule> = {}): AttrRule => ({
  type,
  default: def,
  writable: true,
  ...extra,
});
/** an identifier: writable; its default is generated from the name and setup_id. */
const ident = (extra: Partial<AttrRule> = {}): AttrRule => ({ type: 'text', writable: true, identity: true, ...extra });

export const DEVICE_ATTRS: Record<string, AttrRule> = {
  filename: { type: 'text', create: FB, writable: true },
  blocksize: createOnly('int', 512, FBN),
  read_only: createOnly('bool', false, FBN),
  write_through: createOnly('bool', false, FB),
  nv_cache: createOnly('bool', false, FB),
  o_direct: createOnly('bool', false, [F]),
  thin_provisioned: createOnly('bool', undefined, FB),
  tst: createOnly('int', 1, [F, B, N, C]),
  rotational: createOnly('bool', true, FBN),
  removable: createOnly('bool', false, FBN),
  dummy: createOnly('bool', false, [N]),
  dif_mode: createOnly('text', undefined, FBN),
  dif_type: createOnly('int', undefined, FBN),
  dif_filename: createOnly('text', undefined, FB),
  async: settable('bool', false, { create: [F] }),
  active: settable('bool', true, { create: FB }),
  bind_alua_state: settable('bool', false, { create: FB }),
  cluster_mode: settable('bool', false, { create: FBN }),
  numa_node_id: settable('int', -1, { create: FBN }),
  size: { type: 'int', create: [N], writable: true },
  expl_alua: settable('bool', false),
  read_zero: settable('bool', false),
  opt_trans_len: settable('int', 524288),
  lb_per_pb_exp: settable('int', 1),
  max_tgt_dev_commands: settable('int', 64),
  threads_num: settable('int', 1),
  threads_pool_type: settable('word', 'per_initiator'),
  pr_file_name: { type: 'text', writable: true },
  dif_static_app_tag: { type: 'text', writable: true },
  inq_vend_specific: settable('text', ''),
  t10_dev_id: ident({ create: FBN }),
  usn: ident(),
  naa_id: ident(),
  eui64_id: ident(),
  prod_id: ident(),
  t10_vend_id: ident(),
  vend_specific_id: ident(),
  scsi_device_name: ident(),
  prod_rev_lvl: { type: 'text', writable: true },
};

/** defaults that depend on the handler (§1.3.1, §1.3.2). */
export function deviceDefault(handler: string, attr: string): AttrValue | undefined {
  if (attr === 'bind_alua_state') return handler === B;
  if (attr === 'threads_num') return handler === F || handler === C ? 8 : 1;
  return DEVICE_ATTRS[attr]?.default;
}

/**
 * handlers whose `size` follows the backing store: SCST shows it with `[key]` anyway
 * (`vdev_size_show` in scst_vdisk.c keys every size but nullio's default), so scstadmin
 * -write_config writes it for every device; imports leave it out. fileio and vcdrom show it
 * read-only; blockio's is writable (pinned when the file sets `size`).
 */
export const SIZE_FOLLOWS_STORE: ReadonlySet<string> = new Set([F, B, C]);

/** device files that are facts or commands, never configuration. */
export const DEVICE_STATUS_FILES = new Set([
  'type', 'handler', 'exported', 'scsi_device', 'block', 'pr_state', 'dump_prs', 'size_mb', 'resync_size', 'sync',
  'trace_level',
]);

export const CORE_ATTRS: Record<string, AttrRule> = {
  setup_id: { type: 'hex', default: 0, writable: true },
  cluster_name: { type: 'text', writable: true },
  threads: { type: 'int', writable: true },
  max_tasklet_cmd: settable('int', 10),
  poll_us: settable('int', 0),
  force_global_sgv_pool: settable('int', 0),
  measure_latency: settable('bool', false),
  async_lun_replace: { type: 'bool', writable: true },
};

export const CORE_STATUS_FILES = new Set([
  'version', 'suspend', 'trace_level', 'trace_cmds', 'trace_mcmds', 'last_sysfs_mgmt_res',
]);

/** target attributes, core and iSCSI (§1.5, §5.1), and qla2x00t (§5.2). */
export const TARGET_ATTRS: Record<string, AttrRule> = {
  rel_tgt_id: { type: 'int', default: 0, writable: true, identity: true },
  comment: settable('text', ''),
  addr_method: settable('word', 'PERIPHERAL'),
  io_grouping_type: settable('word', 'auto'),
  cpu_mask: { type: 'text', writable: true },
  black_hole: settable('int', 0),
  forward_src: settable('bool', false),
  forward_dst: settable('bool', false),
  aen_disabled: settable('bool', false),
  QueuedCommands: settable('int', 32),
  RspTimeout: settable('int', 90),
  NopInInterval: settable('int', 30),
  NopInTimeout: settable('int', 30),
  MaxSessions: settable('int', 0),
  InitialR2T: settable('yesno', false),
  ImmediateData: settable('yesno', true),
  FirstBurstLength: settable('int', 65536),
  MaxOutstandingR2T: settable('int', 32),
  MaxBurstLength: { type: 'int', writable: true },
  MaxRecvDataSegmentLength: { type: 'int', writable: true },
  MaxXmitDataSegmentLength: { type: 'int', writable: true },
  HeaderDigest: settable('text', 'None'),
  DataDigest: settable('text', 'None'),
  per_portal_acl: settable('bool', false),
  redirect: settable('text', ''),
  alias: settable('text', ''),
  node_name: { type: 'text', writable: true },
  explicit_confirmation: settable('bool', false),
  scsi_transport_version: settable('int', 0),
  phys_transport_version: settable('int', 0),
};

/** target files that are facts, statistics, or handled as their own resources. */
export const TARGET_SKIP_FILES = new Set([
  'enabled', 'hw_target', 'tid', 'sg_tablesize', 'luns', 'ini_groups', 'sessions', 'host', 'abort_isp',
  'dif_capabilities', 'dif_checks_failed', 'trace_level', 'parent_host', 'forwarding',
]);

export const GROUP_ATTRS: Record<string, AttrRule> = {
  addr_method: TARGET_ATTRS.addr_method,
  io_grouping_type: TARGET_ATTRS.io_grouping_type,
  cpu_mask: TARGET_ATTRS.cpu_mask,
  black_hole: TARGET_ATTRS.black_hole,
  per_sess_dedicated_tgt_threads: settable('bool', false),
};

export const DRIVER_ATTRS: Record<string, AttrRule> = {
  iSNSServer: settable('text', ''),
  internal_portal: settable('text', ''),
  link_local: settable('bool', true),
  isns_entity_name: { type: 'text', writable: true },
  allow_not_connected_copy: settable('bool', false),
};

export const DRIVER_SKIP_FILES = new Set(['mgmt', 'enabled', 'version', 'open_state', 'trace_level', 'dif_capabilities']);

export const TG_ATTRS: Record<string, AttrRule> = {
  group_id: { type: 'int', writable: true, identity: true },
  state: settable('word', 'active', { role: true }),
  preferred: settable('bool', false),
};

/** the table an attribute of a kind is looked up in. */
export function rulesFor(kind: string): Record<string, AttrRule> {
  switch (kind) {
    case 'scst.device':
      return DEVICE_ATTRS;
    case 'scst.core':
      return CORE_ATTRS;
    case 'scst.target':
      return TARGET_ATTRS;
    case 'scst.group':
      return GROUP_ATTRS;
    case 'scst.driver':
    case 'scst.copy-manager-driver':
      return DRIVER_ATTRS;
    case 'scst.alua-tg':
      return TG_ATTRS;
    default:
      return {};
  }
}

/** the default of an attribute for a resource (device defaults depend on the handler). */
export function defaultOf(kind: string, attr: string, handler?: string): AttrValue | undefined {
  if (kind === 'scst.device') return deviceDefault(handler ?? '', attr);
  return rulesFor(kind)[attr]?.default;
}
