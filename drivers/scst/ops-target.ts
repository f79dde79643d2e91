/**
 * Kernel operations for drivers, targets and what lives under them: add_target/del_target
 * (never for hardware ports), enable writes, LUN add/replace/del, groups, initiator
 * add/del/move, CHAP users (secret rotation writes the existing IncomingUserN file), portals.
 */
import type { Change, Op } from '../../reconciler/core/change.js';
import type { Snapshot } from '../../reconciler/core/resource.js';
import { parseAddr, sysPath } from './address.js';
import type { AttrsSpec, ChapSpec, ChapStatus, EnabledSpec, InitiatorSpec, LunSpec, TargetSpec } from './kinds.js';
import { attrWrites, initialWrites, mgmt, specOf, write } from './ops-util.js';

/** drivers whose targets only hardware creates (qla2x00t creates NPIV ports only). */
const HARDWARE_ONLY = new Set(['ib_srpt', 'fcst', 'copy_manager']);

/** Whether a target of `drv` is a port the hardware (or SCST itself) creates, which no mgmt command adds. */
export const madeByHardware = (drv: string, spec: Pick<TargetSpec, 'npiv'>): boolean => HARDWARE_ONLY.has(drv) || (drv === 'qla2x00t' && !spec.npiv);

export function targetOps(change: Change): Op[] {
  const { drv, tgt } = parseAddr(change.address) as { drv: string; tgt: string };
  const dir = sysPath.target(drv, tgt);
  const kind = change.kind;
  const create = (): Op[] => {
    const spec = specOf<TargetSpec>(change, 'after');
    if (madeByHardware(drv, spec)) return [];
    const npiv = spec.npiv ? ` node_name=${spec.npiv.node_name};parent_host=${spec.npiv.parent_host ?? ''}` : '';
    return [
      mgmt(`${sysPath.driver(drv)}/mgmt`, `add_target ${tgt}${npiv}`, { path: dir, exists: true }),
      ...initialWrites({ kind, dir, attrs: spec.attributes }),
    ];
  };
  const hardware = (change.before?.status as { hardware?: boolean } | undefined)?.hardware === true;
  const del = (): Op[] => (hardware ? [] : [mgmt(`${sysPath.driver(drv)}/mgmt`, `del_target ${tgt}`, { path: dir, exists: false })]);
  switch (change.action) {
    case 'create':
      return create();
    case 'delete':
      return del();
    case 'replace':
      return [...del(), ...create()];
    case 'update':
      return attrWrites(kind, dir, change.fields);
    default:
      return [];
  }
}

export function driverOps(change: Change): Op[] {
  const { drv } = parseAddr(change.address);
  if (change.action === 'delete') return [];
  if (change.action === 'create') return initialWrites({ kind: change.kind, dir: sysPath.driver(drv!), attrs: specOf<AttrsSpec>(change, 'after').attributes });
  return attrWrites(change.kind, sysPath.driver(drv!), change.fields);
}

export function enabledOps(change: Change): Op[] {
  const { drv, tgt } = parseAddr(change.address);
  const path = `${tgt && change.kind === 'scst.target-enabled' ? sysPath.target(drv!, tgt) : sysPath.driver(drv!)}/enabled`;
  const before = change.before ? specOf<EnabledSpec>(change, 'before').enabled : undefined;
  const want = change.action === 'delete' ? false : specOf<EnabledSpec>(change, 'after').enabled;
  if (change.action === 'create' && !want) return []; // the kernel default is disabled
  if (before === want) return [];
  return [write({ path, kind: change.kind, attr: 'enabled', value: want ? '1' : '0', before: before === undefined ? undefined : before ? '1' : '0' })];
}

export function lunOps(change: Change): Op[] {
  const { drv, tgt, group, lun } = parseAddr(change.address) as { drv: string; tgt: string; group?: string; lun: number };
  const set = sysPath.lunSet(drv, tgt, group);
  const after = change.after ? specOf<LunSpec>(change, 'after') : undefined;
  const before = change.before ? specOf<LunSpec>(change, 'before') : undefined;
  const ro = (verb: string): string => (after?.read_only ? ' read_only=1' : verb === 'replace' && before?.read_only ? ' read_only=0' : '');
  switch (change.action) {
    case 'create':
      return [mgmt(`${set}/mgmt`, `add ${after!.device} ${lun}${ro('add')}`, { path: `${set}/${lun}`, exists: true })];
    case 'update':
    case 'replace':
      return [mgmt(`${set}/mgmt`, `replace ${after!.device} ${lun}${ro('replace')}`, { path: `${set}/${lun}`, exists: true })];
    case 'delete':
      return [mgmt(`${set}/mgmt`, `del ${lun}`, { path: `${set}/${lun}`, exists: false })];
    default:
      return [];
  }
}

export function groupOps(change: Change): Op[] {
  const { drv, tgt, group } = parseAddr(change.address) as { drv: string; tgt: string; group: string };
  const dir = sysPath.group(drv, tgt, group);
  const mgmtPath = `${sysPath.target(drv, tgt)}/ini_groups/mgmt`;
  const create = (): Op[] => [
    mgmt(mgmtPath, `create ${group}`, { path: dir, exists: true }),
    ...initialWrites({ kind: 'scst.group', dir, attrs: specOf<AttrsSpec>(change, 'after').attributes }),
  ];
  const del = (): Op => mgmt(mgmtPath, `del ${group}`, { path: dir, exists: false });
  if (change.action === 'create') return create();
  if (change.action === 'delete') return [del()];
  if (change.action === 'replace') return [del(), ...create()];
  if (change.action === 'update') return attrWrites('scst.group', dir, change.fields);
  return [];
}

export function initiatorOps(change: Change): Op[] {
  const { drv, tgt, name } = parseAddr(change.address) as { drv: string; tgt: string; name: string };
  const inis = (g: string): string => `${sysPath.group(drv, tgt, g)}/initiators`;
  const from = change.before ? specOf<InitiatorSpec>(change, 'before').group : undefined;
  const to = change.after ? specOf<InitiatorSpec>(change, 'after').group : undefined;
  switch (change.action) {
    case 'create':
      return [mgmt(`${inis(to!)}/mgmt`, `add ${name}`, { path: `${inis(to!)}/${name}`, exists: true })];
    case 'delete':
      return [mgmt(`${inis(from!)}/mgmt`, `del ${name}`, { path: `${inis(from!)}/${name}`, exists: false })];
    case 'update':
    case 'replace':
      return [mgmt(`${inis(from!)}/mgmt`, `move ${name} ${to}`, { path: `${inis(to!)}/${name}`, exists: true })];
    default:
      return [];
  }
}

/** CHAP users at driver level (discovery) and target level (login); secrets only as tokens. */
export function chapOps(change: Change, observed: Snapshot): Op[] {
  const p = parseAddr(change.address);
  const onTarget = change.address.startsWith('scst/target/');
  const scope = onTarget ? `add_target_attribute ${p.tgt} ` : 'add_attribute ';
  const unscope = onTarget ? `del_target_attribute ${p.tgt} ` : 'del_attribute ';
  const mgmtPath = `${sysPath.driver(p.drv!)}/mgmt`;
  const dir = onTarget ? sysPath.target(p.drv!, p.tgt!) : sysPath.driver(p.drv!);
  const attrName = (s: ChapSpec): string => (s.direction === 'incoming' ? 'IncomingUser' : 'OutgoingUser');
  const add = (s: ChapSpec): Op => mgmt(mgmtPath, `${scope}${attrName(s)} ${s.user} {{secret:${s.secretName}}}`);
  const del = (s: ChapSpec): Op => mgmt(mgmtPath, `${unscope}${attrName(s)} ${s.user}`);
  const before = change.before ? specOf<ChapSpec>(change, 'before') : undefined;
  const after = change.after ? specOf<ChapSpec>(change, 'after') : undefined;
  switch (change.action) {
    case 'create':
      return [add(after!)];
    case 'delete':
      return [del(before!)];
    case 'replace':
      return [del(before!), add(after!)];
    case 'update': {
      const status = (change.before?.status ?? observed.resources.get(change.address)?.status) as ChapStatus | undefined;
      const file = status?.file ?? attrName(after!);
      return [{ type: 'write', path: `${dir}/${file}`, value: `${after!.user} {{secret:${after!.secretName}}}` }];
    }
    default:
      return [];
  }
}

export function portalOps(change: Change): Op[] {
  const p = parseAddr(change.address);
  const mgmtPath = `${sysPath.driver(p.drv!)}/mgmt`;
  if (change.action === 'create') return [mgmt(mgmtPath, `add_target_attribute ${p.tgt} allowed_portal ${p.name}`)];
  if (change.action === 'delete') return [mgmt(mgmtPath, `del_target_attribute ${p.tgt} allowed_portal ${p.name}`)];
  return [];
}
