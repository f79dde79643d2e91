/**
 * Addresses of SCST objects (DESIGN §3) and their sysfs paths. Names are used verbatim; SCST
 * forbids `/` in every name sanform manages, so splitting on `/` is unambiguous.
 */
import { SCST_ROOT } from '../../reconciler/host/host.js';

export const addr = {
  core: (): string => 'scst/core',
  device: (dev: string): string => `scst/device/${dev}`,
  driver: (drv: string): string => `scst/driver/${drv}`,
  driverEnabled: (drv: string): string => `scst/driver/${drv}/enabled`,
  driverUser: (drv: string, dir: 'incoming' | 'outgoing', user?: string): string =>
    dir === 'incoming' ? `scst/driver/${drv}/incoming-user/${user}` : `scst/driver/${drv}/outgoing-user`,
  target: (drv: string, tgt: string): string => `scst/target/${drv}/${tgt}`,
  targetEnabled: (drv: string, tgt: string): string => `scst/target/${drv}/${tgt}/enabled`,
  lun: (drv: string, tgt: string, lun: number | string, group?: string): string =>
    group === undefined ? `scst/target/${drv}/${tgt}/lun/${lun}` : `scst/target/${drv}/${tgt}/group/${group}/lun/${lun}`,
  group: (drv: string, tgt: string, group: string): string => `scst/target/${drv}/${tgt}/group/${group}`,
  initiator: (drv: string, tgt: string, name: string): string => `scst/target/${drv}/${tgt}/initiator/${name}`,
  targetUser: (drv: string, tgt: string, dir: 'incoming' | 'outgoing', user?: string): string =>
    dir === 'incoming' ? `scst/target/${drv}/${tgt}/incoming-user/${user}` : `scst/target/${drv}/${tgt}/outgoing-user`,
  portal: (drv: string, tgt: string, pattern: string): string => `scst/target/${drv}/${tgt}/allowed-portal/${pattern}`,
  dg: (dg: string): string => `scst/alua/${dg}`,
  dgDevice: (dg: string, dev: string): string => `scst/alua/${dg}/device/${dev}`,
  tg: (dg: string, tg: string): string => `scst/alua/${dg}/tg/${tg}`,
  tgTarget: (dg: string, tg: string, tgt: string): string => `scst/alua/${dg}/tg/${tg}/target/${tgt}`,
};

/** The parts of an SCST address, by position (see the grammar above). */
export interface AddrParts {
  drv?: string;
  tgt?: string;
  dev?: string;
  group?: string;
  lun?: number;
  name?: string;
  dg?: string;
  tg?: string;
}

/** Splits an address into its named parts; unknown shapes give an empty object. */
export function parseAddr(address: string): AddrParts {
  const s = address.split('/');
  if (s[1] === 'device') return { dev: s[2] };
  if (s[1] === 'driver') return { drv: s[2], name: s[4] };
  if (s[1] === 'alua') {
    if (s[3] === 'device') return { dg: s[2], dev: s[4] };
    return { dg: s[2], tg: s[4], tgt: s[6] };
  }
  if (s[1] !== 'target') return {};
  const p: AddrParts = { drv: s[2], tgt: s[3] };
  if (s[4] === 'lun') p.lun = Number(s[5]);
  if (s[4] === 'group') {
    p.group = s[5];
    if (s[6] === 'lun') p.lun = Number(s[7]);
  }
  if (s[4] === 'initiator' || s[4] === 'incoming-user' || s[4] === 'allowed-portal') p.name = s[5];
  return p;
}

/** Absolute sysfs paths of SCST objects. */
export const sysPath = {
  root: (rel = ''): string => (rel ? `${SCST_ROOT}/${rel}` : SCST_ROOT),
  device: (dev: string): string => `${SCST_ROOT}/devices/${dev}`,
  handlerMgmt: (handler: string): string => `${SCST_ROOT}/handlers/${handler}/mgmt`,
  driver: (drv: string): string => `${SCST_ROOT}/targets/${drv}`,
  target: (drv: string, tgt: string): string => `${SCST_ROOT}/targets/${drv}/${tgt}`,
  lunSet: (drv: string, tgt: string, group?: string): string =>
    group === undefined
      ? `${SCST_ROOT}/targets/${drv}/${tgt}/luns`
      : `${SCST_ROOT}/targets/${drv}/${tgt}/ini_groups/${group}/luns`,
  group: (drv: string, tgt: string, group: string): string => `${SCST_ROOT}/targets/${drv}/${tgt}/ini_groups/${group}`,
  dg: (dg: string): string => `${SCST_ROOT}/device_groups/${dg}`,
  tg: (dg: string, tg: string): string => `${SCST_ROOT}/device_groups/${dg}/target_groups/${tg}`,
};
