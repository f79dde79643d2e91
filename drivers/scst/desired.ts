/**
 * desired(model, ctx): the YAML expanded into resources for one node, in the same shape as
 * observe() produces: kernel attribute names, canonical values, the same dependency rules.
 */
import type { DesiredContext } from '../../reconciler/core/driver.js';
import type { Resource } from '../../reconciler/core/resource.js';
import type { DeviceSpec, SanformModel } from '../../schema/model.js';
import { addr } from './address.js';
import { CORE_ATTRS, DEVICE_ATTRS } from './attrs.js';
import { linkDeps } from './deps.js';
import { desiredAlua } from './desired-alua.js';
import { desiredTargets } from './desired-targets.js';
import { inScope, typedAttrs } from './expand.js';
import type { Emit } from './expand.js';
import { CORE_FIELDS, DEVICE_FIELDS } from './fields.js';
import { providedDevices } from '../../reconciler/load/index.js';

export function desired(model: SanformModel, ctx: DesiredContext): Resource[] {
  const out: Resource[] = [];
  const emit: Emit = (r) => out.push({ ...r, driver: 'scst', deps: r.deps ?? [] });
  if (!model.scst) return []; // a file without `scst:` does not manage SCST at all
  const scst = model.scst;
  const provided = providedDevices(model, ctx.node);
  const core = typedAttrs(scst as Record<string, unknown>, CORE_FIELDS, scst.attributes, CORE_ATTRS);
  emit({ address: addr.core(), kind: 'scst.core', spec: { attributes: core } });
  for (const [name, raw] of Object.entries(scst.devices ?? {})) {
    if (!inScope(raw, ctx.node)) continue;
    const d = mergePerNode(raw, ctx.node);
    const attributes = typedAttrs(d as unknown as Record<string, unknown>, DEVICE_FIELDS, d.attributes, DEVICE_ATTRS);
    const provider = typeof attributes.filename === 'string' ? provided.get(attributes.filename) : undefined;
    emit({
      address: addr.device(name),
      kind: 'scst.device',
      spec: { handler: d.handler, attributes },
      deps: provider ? [provider] : [],
      meta: d.drift ? { drift: d.drift } : undefined,
    });
  }
  desiredTargets(model, ctx, emit);
  desiredAlua(model, ctx, emit);
  for (const r of out) if (r.meta === undefined) delete r.meta;
  linkDeps(out);
  return out;
}

function mergePerNode(d: DeviceSpec, node: string): DeviceSpec {
  const over = d.perNode?.[node];
  if (!over) return d;
  return { ...d, ...over, attributes: { ...d.attributes, ...over.attributes } } as DeviceSpec;
}
