/**
 * importModel: `storage.bcache` for what is live. Tunables at their kernel default are left out
 * (unmanaged, so the plan right after is still empty); sizes become byte counts.
 */
import type { Resource } from '../../reconciler/core/resource.js';
import type { AttrValue, BcacheSpec, SanformModel } from '../../schema/model.js';
import { parseHprint } from './hprint.js';
import type { DeviceSpec } from './kinds.js';
import { HPRINT_TUNABLES, TUNABLE_DEFAULTS, nameOf } from './kinds.js';

export function importModel(observed: readonly Resource[]): Partial<SanformModel> {
  const bcache: Record<string, BcacheSpec> = {};
  for (const r of observed) {
    if (r.kind !== 'bcache.device') continue;
    const s = r.spec as unknown as DeviceSpec;
    const spec: BcacheSpec = { backing: s.backing };
    if (s.cache) spec.cache = s.cache;
    if (s.mode) spec.mode = s.mode;
    const attributes: Record<string, AttrValue> = {};
    for (const [k, v] of Object.entries(s.attributes ?? {})) {
      if (TUNABLE_DEFAULTS[k] === String(v)) continue;
      attributes[k] = HPRINT_TUNABLES.has(k) ? (parseHprint(String(v)) ?? String(v)) : /^\d+$/.test(String(v)) ? Number(v) : String(v);
    }
    if (Object.keys(attributes).length) spec.attributes = attributes;
    bcache[nameOf(r.address)] = spec;
  }
  return Object.keys(bcache).length ? { storage: { bcache } } : {};
}
