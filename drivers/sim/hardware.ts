/**
 * The emulated machine's hardware inventory: what exists before any configuration (block devices
 * for vdisk_blockio, FC/SRP/FCoE ports that become hardware targets, local SCSI devices for
 * pass-through handlers). Format documented in drivers/sim/README.md.
 */
export type ScsiDeviceType = 'disk' | 'tape' | 'processor' | 'cdrom' | 'mod' | 'changer' | 'raid';

export interface HardwareProfile {
  hostname: string;
  /** block devices that vdisk_blockio (and fileio) may open, with their size in bytes. */
  blockDevices: { path: string; sizeBytes: number }[];
  /** qla2x00t physical ports (lower-case colon WWPN); each is a hardware target. */
  fcPorts: { wwpn: string }[];
  /** ib_srpt HCA ports (GID in full IPv6 form). */
  srpPorts: { gid: string }[];
  /** fcst libfc local ports (lower-case colon WWPN). */
  fcoePorts: { wwpn: string }[];
  /** local SCSI devices, present under devices/ as H:C:I:L, unbound. */
  scsiDevices: { hctl: string; type: ScsiDeviceType }[];
  /** storage layers the machine lacks (`md`, `lvm`, `bcache`, `btier`): their tools and files are absent. */
  lacks?: string[];
  /**
   * SCST modules loaded (drivers/sim/modules.ts: `scst_vdisk`, `iscsi-scst`, `qla2x00tgt`...);
   * absent: every one, as on an ESOS appliance. A handler's or target driver's directory exists
   * only while its module is loaded.
   */
  modules?: string[];
}

import { SCST_MODULES } from './modules.js';

const TIB = 1024 ** 4;
const GIB = 1024 ** 3;

/** The default machine: used by `sanform sim init` without --hardware and by the demo. */
export function defaultHardware(): HardwareProfile {
  return {
    hostname: 'esos-sim',
    blockDevices: [
      ...['b', 'c', 'd', 'e', 'f', 'g', 'h'].map((l) => ({ path: `/dev/sd${l}`, sizeBytes: TIB })),
      { path: '/dev/nvme0n1', sizeBytes: TIB },
      // the second NVMe split three ways, as examples/tiered-backend.yaml uses it (an LVM cache
      // PV, a bcache cache, btier's fast tier); partitions are disks of their own in the sim
      { path: '/dev/nvme1n1p1', sizeBytes: 400 * GIB },
      { path: '/dev/nvme1n1p2', sizeBytes: 300 * GIB },
      { path: '/dev/nvme1n1p3', sizeBytes: 300 * GIB },
    ],
    fcPorts: [{ wwpn: '21:00:00:24:ff:00:00:01' }, { wwpn: '21:00:00:24:ff:00:00:02' }],
    srpPorts: [{ gid: 'fe80:0000:0000:0000:0002:c903:0005:f34f' }],
    fcoePorts: [{ wwpn: '20:00:00:25:b5:00:00:0a' }],
    scsiDevices: [
      { hctl: '2:0:0:0', type: 'disk' },
      { hctl: '3:0:0:0', type: 'cdrom' },
    ],
  };
}

const WWN = /^[0-9a-f]{2}(:[0-9a-f]{2}){7}$/;
const GID = /^[0-9a-f]{4}(:[0-9a-f]{4}){7}$/;
const HCTL = /^\d+:\d+:\d+:\d+$/;
const TYPES: ScsiDeviceType[] = ['disk', 'tape', 'processor', 'cdrom', 'mod', 'changer', 'raid'];

/** Problems in a profile read from a file (empty when valid). */
export function checkHardware(h: unknown): string[] {
  const errs: string[] = [];
  const p = h as Partial<HardwareProfile>;
  if (typeof p !== 'object' || p === null) return ['profile must be an object'];
  if (typeof p.hostname !== 'string' || !p.hostname) errs.push('hostname: non-empty string required');
  const arr = (k: keyof HardwareProfile): unknown[] => {
    const v = p[k];
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      errs.push(`${k}: must be a list`);
      return [];
    }
    return v;
  };
  arr('blockDevices').forEach((b, i) => {
    const d = b as { path?: unknown; sizeBytes?: unknown };
    if (typeof d.path !== 'string' || !d.path.startsWith('/')) errs.push(`blockDevices[${i}].path: absolute path`);
    if (typeof d.sizeBytes !== 'number' || d.sizeBytes < 0 || d.sizeBytes % 512) errs.push(`blockDevices[${i}].sizeBytes: multiple of 512`);
  });
  arr('fcPorts').forEach((x, i) => WWN.test((x as { wwpn: string }).wwpn) || errs.push(`fcPorts[${i}].wwpn: lower-case xx:xx:..`));
  arr('fcoePorts').forEach((x, i) => WWN.test((x as { wwpn: string }).wwpn) || errs.push(`fcoePorts[${i}].wwpn: lower-case xx:xx:..`));
  arr('srpPorts').forEach((x, i) => GID.test((x as { gid: string }).gid) || errs.push(`srpPorts[${i}].gid: full IPv6 form`));
  arr('scsiDevices').forEach((x, i) => {
    const d = x as { hctl: string; type: ScsiDeviceType };
    if (!HCTL.test(d.hctl)) errs.push(`scsiDevices[${i}].hctl: H:C:I:L`);
    if (!TYPES.includes(d.type)) errs.push(`scsiDevices[${i}].type: one of ${TYPES.join(', ')}`);
  });
  const modules = (p as { modules?: unknown }).modules;
  if (modules !== undefined) {
    if (!Array.isArray(modules)) errs.push(`modules: a list of SCST module names (${Object.keys(SCST_MODULES).join(', ')})`);
    else
      modules.forEach((m, i) => {
        if (typeof m !== 'string' || !Object.prototype.hasOwnProperty.call(SCST_MODULES, m)) errs.push(`modules[${i}]: ${JSON.stringify(m)} is not an SCST module (${Object.keys(SCST_MODULES).join(', ')})`);
      });
  }
  const lacks = (p as { lacks?: unknown }).lacks;
  if (lacks !== undefined && (!Array.isArray(lacks) || lacks.some((x) => typeof x !== 'string'))) errs.push('lacks: a list of layer names (md, lvm, bcache, btier)');
  return errs;
}

/** Fills optional lists so the rest of the code can rely on them. */
export function normalizeHardware(p: Partial<HardwareProfile> & { hostname: string }): HardwareProfile {
  return {
    hostname: p.hostname,
    blockDevices: p.blockDevices ?? [],
    fcPorts: p.fcPorts ?? [],
    srpPorts: p.srpPorts ?? [],
    fcoePorts: p.fcoePorts ?? [],
    scsiDevices: p.scsiDevices ?? [],
    ...(p.lacks?.length ? { lacks: [...p.lacks] } : {}),
    ...(p.modules ? { modules: [...p.modules] } : {}),
  };
}
