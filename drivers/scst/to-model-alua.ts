/**
 * ALUA part of import. A target group whose members are all remote directories belongs to the
 * peer node: it is written with `node: peer` (rename to the real node name) and rel_tgt_ids.
 */
import type { Resource } from '../../reconciler/core/resource.js';
import type { DeviceGroupSpec, ScstSpec, TargetGroupSpec } from '../../schema/model.js';
import { parseAddr } from './address.js';
import { TG_FIELDS } from './fields.js';
import type { AttrMap, TgTargetSpec } from './kinds.js';
import { typed } from './typed.js';

export const PEER_NODE = 'peer';

export function aluaToModel(by: (kind: string) => Resource[]): ScstSpec['alua'] | undefined {
  const dgs: Record<string, DeviceGroupSpec> = {};
  for (const dg of by('scst.alua-dg')) dgs[parseAddr(dg.address).dg!] = { devices: [], targetGroups: {} };
  for (const d of by('scst.alua-device')) dgs[parseAddr(d.address).dg!]?.devices.push(parseAddr(d.address).dev!);
  for (const tg of by('scst.alua-tg')) {
    const p = parseAddr(tg.address);
    const t = typed('scst.alua-tg', (tg.spec as { attributes: AttrMap }).attributes, TG_FIELDS) as unknown as TargetGroupSpec;
    const members = by('scst.alua-tg-target').filter((m) => m.address.startsWith(`${tg.address}/target/`));
    const remote = members.length > 0 && members.every((m) => (m.spec as unknown as TgTargetSpec).remote);
    if (remote) {
      t.node = PEER_NODE;
      t.targets = Object.fromEntries(members.map((m) => [parseAddr(m.address).tgt!, relOf(m)]));
    } else {
      t.targets = members.map((m) => parseAddr(m.address).tgt!);
    }
    if (dgs[p.dg!]) dgs[p.dg!].targetGroups[p.tg!] = { ...t, groupId: t.groupId ?? 0 };
  }
  return Object.keys(dgs).length ? { deviceGroups: dgs } : undefined;
}

const relOf = (m: Resource): { relTgtId?: number } => {
  const rel = (m.spec as unknown as TgTargetSpec).rel_tgt_id;
  return rel === undefined ? {} : { relTgtId: rel };
};
