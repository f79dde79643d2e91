/**
 * Stage, prune, cascades and managed kinds: how the planner orders SCST changes, what it does with
 * live objects the file does not declare, and what the kernel removes by itself.
 */
import type { GateFinding, GateInput } from '../../reconciler/core/driver.js';
import type { Change, Stage } from '../../reconciler/core/change.js';
import type { IdentityKey, Unavailable } from '../../reconciler/core/driver.js';
import type { Resource, Snapshot } from '../../reconciler/core/resource.js';
import type { SanformModel } from '../../schema/model.js';
import { parseAddr } from './address.js';
import { moduleOfDriver, moduleOfHandler } from '../sim/modules.js';
import type { CoreStatus, LunSpec, TargetSpec, TargetStatus, TgTargetSpec } from './kinds.js';
import { madeByHardware } from './ops-target.js';

const BINDINGS = new Set([
  'scst.lun', 'scst.copy-manager-lun', 'scst.initiator', 'scst.chap-user', 'scst.allowed-portal', 'scst.alua-device',
  'scst.alua-tg-target',
]);
const ENABLES = new Set(['scst.target-enabled', 'scst.driver-enabled']);

export function stage(change: Change): Stage {
  const { kind, action } = change;
  if (ENABLES.has(kind)) {
    const on = (change.after?.spec as { enabled?: boolean } | undefined)?.enabled === true;
    return action !== 'delete' && on ? 'enable' : 'teardown-bindings';
  }
  if (BINDINGS.has(kind)) return action === 'delete' ? 'teardown-bindings' : 'bindings';
  if (action === 'delete') return 'teardown-objects';
  if (action === 'create' || action === 'replace') return 'create-objects';
  return 'attributes';
}

/** hardware targets are disabled, never deleted; drivers and the core cannot be deleted. */
export function prune(observed: Resource): 'delete' | 'keep' | Resource {
  const hardware = (observed.status as TargetStatus | undefined)?.hardware === true;
  switch (observed.kind) {
    case 'scst.core':
    case 'scst.driver':
    case 'scst.copy-manager-driver':
    case 'scst.copy-manager-target':
      return 'keep';
    case 'scst.target':
      return hardware ? 'keep' : 'delete';
    case 'scst.target-enabled':
    case 'scst.driver-enabled':
      if (observed.kind === 'scst.target-enabled' && !hardware) return 'delete';
      return { ...observed, spec: { enabled: false }, status: undefined };
    default:
      return 'delete';
  }
}

/**
 * A hardware port the file declares but this machine does not have: sanform cannot create it
 * (no mgmt command adds one), so it and everything under it are unavailable, with the ports that
 * are there named.
 */
export function unavailable(change: Change, observed: Snapshot): Unavailable | undefined {
  const missing = missingModule(change, observed);
  if (missing) return missing;
  if (change.kind !== 'scst.target' || change.action !== 'create') return undefined;
  const { drv, tgt } = parseAddr(change.address) as { drv: string; tgt: string };
  if (!madeByHardware(drv, (change.after?.spec ?? {}) as Pick<TargetSpec, 'npiv'>)) return undefined;
  const prefix = `scst/target/${drv}/`;
  const ports: string[] = [];
  for (const r of observed.resources.values()) {
    if (r.kind === 'scst.target' && r.address.startsWith(prefix) && (r.status as TargetStatus | undefined)?.hardware === true) ports.push(r.address.slice(prefix.length));
  }
  const here = ports.length > 0 ? `ports here: ${ports.sort().join(', ')}` : `no ${drv} ports at all: is its driver loaded?`;
  return {
    reason: `${drv} port ${tgt} is not on this machine (${here})`,
    hint:
      `check the port name against /sys/kernel/scst_tgt/targets/${drv}/, that the adapter is installed and its driver loaded, ` +
      `or set node: to the server that has it${drv === 'qla2x00t' ? '; a virtual (NPIV) port needs npiv: { node_name, parent_host }' : ''}`,
  };
}

/**
 * A handler or target driver whose module is not loaded: its directory is absent (a handler's
 * appears when scst_vdisk.c, scst_disk.c or scst_cdrom.c registers it, a driver's when its module
 * registers the template: scst_tgtt_sysfs_create in scst_main.c), so nothing under it can be
 * made. Known only from a live observe (the core's status lists the handlers there); a snapshot
 * without that list says nothing about modules.
 */
function missingModule(change: Change, observed: Snapshot): Unavailable | undefined {
  if (change.action === 'delete') return undefined;
  const handlers = (observed.resources.get('scst/core')?.status as CoreStatus | undefined)?.handlers;
  if (!Array.isArray(handlers)) return undefined;
  if (change.kind === 'scst.device') {
    const handler = (change.after?.spec as { handler?: string } | undefined)?.handler;
    if (handler === undefined || handlers.includes(handler)) return undefined;
    const mod = moduleOfHandler(handler);
    return {
      reason: `handler ${handler} is not on this machine: ${mod ? `module ${mod} is not loaded` : 'SCST has no handler by that name'} (handlers here: ${handlers.join(', ') || 'none'})`,
      hint: mod ? `load it (modprobe ${mod}; on ESOS, add it to the modules loaded at boot), or use another handler` : 'use a handler SCST has',
    };
  }
  const m = /^scst\/(?:driver|target)\/([^/]+)/.exec(change.address);
  if (!m) return undefined;
  const drv = m[1]!;
  const mod = moduleOfDriver(drv);
  if (!mod || observed.resources.has(`scst/driver/${drv}`)) return undefined;
  return {
    reason: `target driver ${drv} is not on this machine: module ${mod} is not loaded`,
    hint: `load it (modprobe ${mod}; on ESOS, add it to the modules loaded at boot), or set node: to a server that has it`,
  };
}

/** what the kernel removes together with `removed` (§4.4, §1.7, §8.1 item 5). */
export function cascades(removed: Resource, other: Resource): boolean {
  const under = other.address.startsWith(`${removed.address}/`);
  switch (removed.kind) {
    case 'scst.device': {
      const dev = parseAddr(removed.address).dev;
      if (other.kind === 'scst.lun' || other.kind === 'scst.copy-manager-lun') return (other.spec as unknown as LunSpec).device === dev;
      return other.kind === 'scst.alua-device' && parseAddr(other.address).dev === dev;
    }
    case 'scst.target': {
      if (under) return true;
      const tgt = parseAddr(removed.address).tgt;
      return other.kind === 'scst.alua-tg-target' && !(other.spec as unknown as TgTargetSpec).remote && parseAddr(other.address).tgt === tgt;
    }
    case 'scst.group': {
      if (under) return true;
      const g = parseAddr(removed.address);
      return other.kind === 'scst.initiator' && other.address.startsWith(`scst/target/${g.drv}/${g.tgt}/`) && (other.spec as { group?: string }).group === g.group;
    }
    case 'scst.alua-dg':
    case 'scst.alua-tg':
      return under;
    default:
      return false;
  }
}

/**
 * A LUN is, to its initiators, a device seen at a number in one LUN set (a target's default set
 * or a group's): the same device at another number of the same set is the same LUN renumbered,
 * which the planner guards as an identity change (DESIGN §3).
 */
export function identityKey(r: Resource): IdentityKey | undefined {
  if (r.kind !== 'scst.lun') return undefined;
  const device = (r.spec as unknown as LunSpec).device;
  const cut = r.address.lastIndexOf('/lun/');
  if (device === undefined || cut < 0) return undefined;
  const p = parseAddr(r.address);
  const set = p.group === undefined ? 'the default LUN set' : `group ${p.group}`;
  return { key: `${r.address.slice(0, cut)}\0${device}`, object: `device ${device} in ${set}`, identity: `LUN ${p.lun}` };
}

/** kinds the file manages: prune only ever touches these. */
export function managedKinds(model: SanformModel): string[] {
  const s = model.scst;
  if (!s) return [];
  const out = ['scst.core'];
  if (s.devices) out.push('scst.device');
  const targets = Object.keys(s.targets ?? {}).filter((d) => d !== 'copy_manager');
  const drivers = Object.keys(s.drivers ?? {}).filter((d) => d !== 'copy_manager');
  if (targets.length || drivers.length) out.push('scst.driver', 'scst.driver-enabled', 'scst.chap-user');
  if (targets.length) {
    out.push('scst.target', 'scst.target-enabled', 'scst.lun', 'scst.group', 'scst.initiator', 'scst.allowed-portal');
  }
  if (s.alua?.deviceGroups) out.push('scst.alua-dg', 'scst.alua-device', 'scst.alua-tg', 'scst.alua-tg-target');
  if (s.drivers?.copy_manager) out.push('scst.copy-manager-driver');
  if (s.targets?.copy_manager) out.push('scst.copy-manager-target', 'scst.copy-manager-lun');
  return out.sort();
}

/** On a pair the cluster manager moves ALUA states (failover); sanform sets them only at create. */
export function clusterOwned(r: Resource): readonly string[] {
  return r.kind === 'scst.alua-tg' ? ['attributes.state'] : [];
}

/** The SCST gate of a pair rollout: every target the standby node should have enabled is enabled. */
export async function gate(input: GateInput): Promise<GateFinding[]> {
  const { observe } = await import('./observe.js');
  const live = new Map((await observe(input.host)).map((r) => [r.address, r]));
  const out: GateFinding[] = [];
  for (const r of input.desired.resources.values()) {
    if (r.kind !== 'scst.target-enabled' || (r.spec as { enabled?: boolean }).enabled !== true) continue;
    if ((live.get(r.address)?.spec as { enabled?: boolean } | undefined)?.enabled !== true) out.push({ gate: 'targets', why: `${input.node}: ${r.address} is not enabled` });
  }
  return out;
}
