/** importModel: `storage.lvm` for the live VGs and LVs (snapshots left out), so the next plan is empty. */
import type { Resource } from '../../reconciler/core/resource.js';
import type { LvSpec as LvModel, SanformModel, VgSpec as VgModel } from '../../schema/model.js';
import { sizeArg, type LvSpec, type VgSpec } from './kinds.js';

export function importModel(observed: readonly Resource[]): Partial<SanformModel> {
  const lvm: Record<string, VgModel> = {};
  for (const r of observed) if (r.kind === 'lvm.vg') lvm[r.address.split('/')[2]!] = { pvs: [...(r.spec as unknown as VgSpec).pvs] };
  for (const r of observed) {
    if (r.kind !== 'lvm.lv') continue;
    const s = r.spec as unknown as LvSpec;
    const vg = lvm[s.vg];
    if (!vg || s.type === 'snapshot') continue;
    const lv: LvModel = { size: sizeArg(s.size ?? 0) };
    if (s.cache) lv.cache = { pool: s.cache.pool, ...(s.cache.mode ? { mode: s.cache.mode as NonNullable<LvModel['cache']>['mode'] } : {}), ...(s.cache.policy ? { policy: s.cache.policy } : {}) };
    (vg.lvs ??= {})[s.name] = lv;
  }
  return Object.keys(lvm).length ? ({ storage: { lvm } } as Partial<SanformModel>) : {};
}
