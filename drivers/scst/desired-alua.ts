/**
 * Desired ALUA configuration: device groups, their devices, target groups and memberships. A
 * target group with `node:` is local on that node (links to real targets) and remote elsewhere
 * (a directory holding the peer target's rel_tgt_id).
 */
import type { DesiredContext } from '../../reconciler/core/driver.js';
import type { SanformModel, TargetGroupSpec } from '../../schema/model.js';
import { addr } from './address.js';
import { TG_ATTRS } from './attrs.js';
import type { Emit } from './expand.js';
import { typedAttrs } from './expand.js';
import { TG_FIELDS } from './fields.js';

export function desiredAlua(model: SanformModel, ctx: DesiredContext, emit: Emit): void {
  for (const [dg, spec] of Object.entries(model.scst?.alua?.deviceGroups ?? {})) {
    emit({ address: addr.dg(dg), kind: 'scst.alua-dg', spec: { attributes: typedAttrs({}, [], spec.attributes, {}) } });
    for (const dev of spec.devices ?? []) emit({ address: addr.dgDevice(dg, dev), kind: 'scst.alua-device', spec: {} });
    for (const [tg, raw] of Object.entries(spec.targetGroups ?? {})) {
      const t: TargetGroupSpec = { ...raw, ...raw.perNode?.[ctx.node] };
      const attributes = typedAttrs(t as unknown as Record<string, unknown>, TG_FIELDS, t.attributes, TG_ATTRS);
      emit({ address: addr.tg(dg, tg), kind: 'scst.alua-tg', spec: { attributes } });
      const local = t.node === undefined || t.node === ctx.node;
      const members: [string, { relTgtId?: number }][] = Array.isArray(t.targets)
        ? t.targets.map((n) => [n, {}])
        : Object.entries(t.targets ?? {});
      for (const [name, m] of members) {
        const s = local ? { remote: false } : { remote: true, ...(m.relTgtId !== undefined ? { rel_tgt_id: m.relTgtId } : {}) };
        emit({ address: addr.tgTarget(dg, tg, name), kind: 'scst.alua-tg-target', spec: s });
      }
    }
  }
}
