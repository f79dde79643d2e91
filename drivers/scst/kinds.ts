/**
 * Resource kinds of the SCST driver and the shape of their `spec` and `status`. Desired and
 * observed resources use the same shapes; attribute names under `attributes` are the kernel's
 * file names verbatim, values canonical (see values.ts).
 */
import type { AttrValue } from '../../schema/model.js';

export const KINDS = [
  'scst.core',
  'scst.device',
  'scst.driver',
  'scst.driver-enabled',
  'scst.target',
  'scst.target-enabled',
  'scst.lun',
  'scst.group',
  'scst.initiator',
  'scst.chap-user',
  'scst.allowed-portal',
  'scst.alua-dg',
  'scst.alua-device',
  'scst.alua-tg',
  'scst.alua-tg-target',
  'scst.copy-manager-driver',
  'scst.copy-manager-target',
  'scst.copy-manager-lun',
] as const;

export type AttrMap = Record<string, AttrValue>;

/** core, driver, group, ALUA dg/tg and copy-manager objects: attributes only. */
export interface AttrsSpec {
  attributes: AttrMap;
}

export interface DeviceSpec extends AttrsSpec {
  handler: string;
}

export interface TargetSpec extends AttrsSpec {
  /** qla2x00t NPIV targets: create parameters of add_target. */
  npiv?: { node_name: string; parent_host?: string };
}

export interface Session {
  initiator: string;
  /** group whose LUN set the session is matched to; absent: the target's default set. */
  group?: string;
}

export interface CoreStatus {
  /** the handlers under handlers/ (a live observe; absent in a snapshot made from an scst.conf). */
  handlers?: string[];
}

export interface TargetStatus {
  /** hardware port (hw_target=1, or a driver without mgmt): never created nor deleted. */
  hardware?: boolean;
  sessions?: Session[];
}

export interface EnabledSpec {
  enabled: boolean;
}

export interface LunSpec {
  device: string;
  /** effective read-only state (LUN flag or read-only device), as the kernel prints it. */
  read_only: boolean;
}

export interface InitiatorSpec {
  group: string;
}

export interface ChapSpec {
  direction: 'incoming' | 'outgoing';
  user: string;
  /** fingerprint of the secret, never the secret. */
  secret: string;
  /** desired side only: name of the `secrets:` entry (ops use the token {{secret:NAME}}). */
  secretName?: string;
}

export interface ChapStatus {
  /** the sysfs file holding this user (`IncomingUser1`): secret rotation writes it. */
  file?: string;
}

export interface TgTargetSpec {
  /** remote member (a directory with its own rel_tgt_id) rather than a link to a local target. */
  remote: boolean;
  rel_tgt_id?: number;
}
