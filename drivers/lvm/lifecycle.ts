/** stage, managed kinds, prune and what this machine (or lvm2) cannot do for LVM. */
import type { Change, Stage } from '../../reconciler/core/change.js';
import type { Unavailable } from '../../reconciler/core/driver.js';
import type { Resource, Snapshot } from '../../reconciler/core/resource.js';
import type { SanformModel } from '../../schema/model.js';
import { MANAGED, addr, lvFull, type LvSpec } from './kinds.js';

export function stage(c: Change): Stage {
  if (c.action === 'delete') return 'teardown-objects';
  if (c.action === 'create' || c.action === 'replace') return 'create-objects';
  return 'attributes';
}

export const managedKinds = (model: SanformModel): string[] => (model.storage?.lvm ? [...MANAGED] : []);

/** The probe resource is never pruned; VGs and LVs sanform owns are. */
export const prune = (r: Resource): 'delete' | 'keep' => (r.kind === 'lvm.layer' ? 'keep' : 'delete');

export function unavailable(c: Change, observed: Snapshot): Unavailable | undefined {
  if (c.kind !== 'lvm.lv' || !c.after) return undefined;
  const s = c.after.spec as unknown as LvSpec & { unsupportedType?: string };
  const full = lvFull(c.address);
  if (s.unsupportedType) return { reason: `${full}: type ${s.unsupportedType} is not supported by sanform's LVM driver yet`, hint: `remove type: ${s.unsupportedType} from storage.lvm.${s.vg}.lvs.${s.name} (linear LVs and cache pools are)` };
  if (s.cache) {
    const pool = observed.resources.get(addr.lv(s.vg, s.cache.pool));
    const declared = c.after.deps.includes(addr.lv(s.vg, s.cache.pool));
    if (!declared && !pool) return { reason: `${full}: cache pool ${s.cache.pool} is not an LV of ${s.vg}`, hint: `declare storage.lvm.${s.vg}.lvs.${s.cache.pool} (its size is the cache size)` };
  }
  if (c.action === 'update' && s.type === 'cache-pool' && c.fields.some((f) => f.field === 'size')) {
    return { reason: `lvm2 cannot resize cache pool ${full}`, hint: `keep its size, or remove the cache from the LV that uses it, delete the pool and declare it again` };
  }
  return undefined;
}
