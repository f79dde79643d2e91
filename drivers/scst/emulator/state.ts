/**
 * The emulated kernel state: plain JSON (so it can be snapshotted and restored) and nothing else.
 * Attribute values are kept in the kernel's printed form; absent means "default".
 */
import type { HardwareProfile } from '../../sim/hardware.js';

export type HandlerName = 'vdisk_fileio' | 'vdisk_blockio' | 'vdisk_nullio' | 'vcdrom' | 'dev_disk' | 'dev_disk_perf' | 'dev_cdrom';
export type DriverName = 'iscsi' | 'qla2x00t' | 'ib_srpt' | 'fcst' | 'scst_local' | 'copy_manager';

export interface DeviceState {
  /** null for an unbound pass-through device. */
  handler: HandlerName | null;
  /** SCSI peripheral type (0 disk, 5 cdrom...). */
  scsiType: number;
  /** explicitly set attribute values (kernel printed form). */
  attrs: Record<string, string>;
  /** attributes that count as "written" for once-written key marks. */
  written: string[];
  /** next exportK suffix (only grows). */
  nextExport: number;
  /** exportK -> LUN dir relative to scst_tgt (targets/D/T/luns/N or .../ini_groups/G/luns/N). */
  exports: Record<string, string>;
  /** backing store size in bytes (F/B/C: from the store; N: from params). */
  size: number;
  /** true for a device that comes from the hardware profile (H:C:I:L). */
  passthrough?: boolean;
}

export interface LunState {
  device: string;
  readOnly: boolean;
}

export interface GroupState {
  luns: Record<string, LunState>;
  initiators: string[];
  attrs: Record<string, string>;
}

export interface SessionState {
  initiator: string;
  /** the ini_group the session was matched to, or null for the target's default LUN set. */
  group: string | null;
}

export interface TargetState {
  /** hardware target (from the profile): cannot be added or deleted through mgmt. */
  hardware: boolean;
  enabled: 0 | 1;
  relTgtId: number;
  attrs: Record<string, string>;
  luns: Record<string, LunState>;
  groups: Record<string, GroupState>;
  sessions: Record<string, SessionState>;
  /** multi-instance attribute files (IncomingUser, IncomingUser1, allowed_portal...): value. */
  multi: Record<string, string>;
  /** iSCSI tid; qla node_name/parent_host for NPIV. */
  tid?: number;
  /**
   * An NPIV port: its node name, its physical port, and the SCSI host the vport got (`hostNo`)
   * with the vport's number on its parent (`vport`), for the target's `host` link.
   */
  npiv?: { nodeName: string; parentHost: string; hostNo?: number; vport?: number };
}

export interface DriverState {
  targets: Record<string, TargetState>;
  attrs: Record<string, string>;
  multi: Record<string, string>;
}

export interface TgMember {
  /** driver of the local target the entry links to; absent for a remote entry. */
  driver?: string;
  /** rel_tgt_id of a remote entry. */
  relTgtId: number;
}

export interface TargetGroupState {
  groupId: number;
  state: string;
  preferred: 0 | 1;
  members: Record<string, TgMember>;
}

export interface DeviceGroupState {
  devices: string[];
  targetGroups: Record<string, TargetGroupState>;
}

export interface PendingWork {
  path: string;
  data: string;
}

export interface ScstState {
  hardware: HardwareProfile;
  core: Record<string, string>;
  lastRes: number;
  devices: Record<string, DeviceState>;
  drivers: Record<DriverName, DriverState>;
  deviceGroups: Record<string, DeviceGroupState>;
  iscsid: boolean;
  nextTid: number;
  /** last rel_tgt_id handed out by auto-assignment. */
  relTgtIdCounter: number;
  /** copy manager's rotating LUN counter. */
  cmLunCounter: number;
  /** hardware ports currently unplugged (target names). */
  unplugged: string[];
  /** last SCSI host number given to an NPIV vport (absent: none yet). */
  lastScsiHost?: number;
  async: { on: boolean; debugEagain: boolean; pending: PendingWork[]; pollsLeft: number; polls: number };
}
