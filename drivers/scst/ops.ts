/** ops(change, observed): dispatch to the kernel operations of each kind. */
import type { Change, Op } from '../../reconciler/core/change.js';
import type { Snapshot } from '../../reconciler/core/resource.js';
import { aluaOps } from './ops-alua.js';
import { coreOps, deviceOps } from './ops-device.js';
import { chapOps, driverOps, enabledOps, groupOps, initiatorOps, lunOps, portalOps, targetOps } from './ops-target.js';

export function ops(change: Change, observed: Snapshot): Op[] {
  if (change.action === 'noop') return [];
  switch (change.kind) {
    case 'scst.core':
      return coreOps(change);
    case 'scst.device':
      return deviceOps(change);
    case 'scst.driver':
    case 'scst.copy-manager-driver':
      return driverOps(change);
    case 'scst.target':
    case 'scst.copy-manager-target':
      return targetOps(change);
    case 'scst.target-enabled':
    case 'scst.driver-enabled':
      return enabledOps(change);
    case 'scst.lun':
    case 'scst.copy-manager-lun':
      return lunOps(change);
    case 'scst.group':
      return groupOps(change);
    case 'scst.initiator':
      return initiatorOps(change);
    case 'scst.chap-user':
      return chapOps(change, observed);
    case 'scst.allowed-portal':
      return portalOps(change);
    default:
      return change.kind.startsWith('scst.alua') ? aluaOps(change) : [];
  }
}
