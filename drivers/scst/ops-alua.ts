/**
 * Kernel operations for ALUA: device groups and their devices, target groups (group_id, state,
 * preferred) and their members. A local member is added after its target exists (a link); a
 * remote one is a directory whose rel_tgt_id is written after the add.
 */
import type { Change, Op } from '../../reconciler/core/change.js';
import { parseAddr, sysPath } from './address.js';
import type { AttrsSpec, TgTargetSpec } from './kinds.js';
import { attrWrites, initialWrites, mgmt, specOf, write } from './ops-util.js';

export function aluaOps(change: Change): Op[] {
  const p = parseAddr(change.address) as { dg: string; tg?: string; tgt?: string; dev?: string };
  switch (change.kind) {
    case 'scst.alua-dg':
      return objectOps(change, { parent: `${sysPath.root('device_groups')}`, name: p.dg, dir: sysPath.dg(p.dg), verb: 'create' });
    case 'scst.alua-tg':
      return objectOps(change, { parent: `${sysPath.dg(p.dg)}/target_groups`, name: p.tg!, dir: sysPath.tg(p.dg, p.tg!), verb: 'create' });
    case 'scst.alua-device':
      return memberOps(change, { dir: `${sysPath.dg(p.dg)}/devices`, name: p.dev! });
    case 'scst.alua-tg-target':
      return tgTargetOps(change, sysPath.tg(p.dg, p.tg!), p.tgt!);
    default:
      return [];
  }
}

/** dg and tg: create/del through the parent's mgmt, attributes written in place. */
function objectOps(change: Change, o: { parent: string; name: string; dir: string; verb: string }): Op[] {
  const create = (): Op[] => [
    mgmt(`${o.parent}/mgmt`, `${o.verb} ${o.name}`, { path: o.dir, exists: true }),
    ...initialWrites({ kind: change.kind, dir: o.dir, attrs: specOf<AttrsSpec>(change, 'after').attributes }),
  ];
  const del = (): Op => mgmt(`${o.parent}/mgmt`, `del ${o.name}`, { path: o.dir, exists: false });
  if (change.action === 'create') return create();
  if (change.action === 'delete') return [del()];
  if (change.action === 'replace') return [del(), ...create()];
  if (change.action === 'update') return attrWrites(change.kind, o.dir, change.fields);
  return [];
}

function memberOps(change: Change, m: { dir: string; name: string }): Op[] {
  const path = `${m.dir}/${m.name}`;
  if (change.action === 'create') return [mgmt(`${m.dir}/mgmt`, `add ${m.name}`, { path, exists: true })];
  if (change.action === 'delete') return [mgmt(`${m.dir}/mgmt`, `del ${m.name}`, { path, exists: false })];
  return [];
}

function tgTargetOps(change: Change, tgDir: string, tgt: string): Op[] {
  const rel = `${tgDir}/${tgt}/rel_tgt_id`;
  const after = change.after ? specOf<TgTargetSpec>(change, 'after') : undefined;
  const before = change.before ? specOf<TgTargetSpec>(change, 'before') : undefined;
  const relWrite = (v: number, b?: number): Op => write({ path: rel, kind: 'scst.alua-tg-target', attr: 'rel_tgt_id', value: v, before: b });
  const add = (): Op[] => [
    ...memberOps({ ...change, action: 'create' }, { dir: tgDir, name: tgt }),
    ...(after?.remote && after.rel_tgt_id !== undefined ? [relWrite(after.rel_tgt_id)] : []),
  ];
  const del = (): Op[] => memberOps({ ...change, action: 'delete' }, { dir: tgDir, name: tgt });
  if (change.action === 'create') return add();
  if (change.action === 'delete') return del();
  if (change.action === 'replace') return [...del(), ...add()];
  if (change.action === 'update' && after?.rel_tgt_id !== undefined) return [relWrite(after.rel_tgt_id, before?.rel_tgt_id)];
  return [];
}
