/**
 * desired: `storage.lvm` for one node, in observe's shape. An LV another LV names as its cache
 * pool is a cache pool; sizes are bytes as the file says them (compare rounds to extents);
 * percentage sizes (`100%FREE`) are used at create (after the VG's fixed-size LVs) and never compared.
 */
import type { DesiredContext } from '../../reconciler/core/driver.js';
import type { Resource } from '../../reconciler/core/resource.js';
import { parseSize } from '../../reconciler/load/units.js';
import type { SanformModel, VgSpec as VgModel } from '../../schema/model.js';
import { addr, type LvSpec, type VgSpec } from './kinds.js';

const onNode = (s: VgModel, node: string): boolean => s.node === undefined || (Array.isArray(s.node) ? s.node.includes(node) : s.node === node);

export function desired(model: SanformModel, ctx: DesiredContext): Resource[] {
  const lvm = model.storage?.lvm;
  if (!lvm) return [];
  const out: Resource[] = [];
  for (const [vg, s] of Object.entries(lvm)) {
    if (!onNode(s, ctx.node)) continue;
    out.push({ address: addr.vg(vg), kind: 'lvm.vg', driver: 'lvm', spec: { pvs: [...s.pvs].sort() } satisfies VgSpec as unknown as Record<string, unknown>, deps: [] });
    const lvs = s.lvs ?? {};
    const pools = new Set(Object.values(lvs).map((l) => l.cache?.pool).filter((p): p is string => Boolean(p)));
    for (const [name, l] of Object.entries(lvs)) {
      const pct = /%/.test(l.size);
      const spec: LvSpec = {
        vg, name, type: pools.has(name) ? 'cache-pool' : 'linear',
        ...(pct ? { extents: l.size } : { size: parseSize(l.size) ?? 0 }),
        ...(l.cache ? { cache: { pool: l.cache.pool, ...(l.cache.mode ? { mode: l.cache.mode } : {}), ...(l.cache.policy ? { policy: l.cache.policy } : {}) } } : {}),
        ...(l.pvs?.length ? { pvs: [...l.pvs] } : {}),
      };
      const unsupported = l.type === 'thin' || l.type === 'thin-pool' ? { unsupportedType: l.type } : {};
      out.push({
        address: addr.lv(vg, name), kind: 'lvm.lv', driver: 'lvm', spec: { ...spec, ...unsupported } as unknown as Record<string, unknown>,
        // an LV sized by percentage (100%FREE) takes what the fixed-size ones leave: it comes last
        deps: [addr.vg(vg), ...(l.cache ? [addr.lv(vg, l.cache.pool)] : []), ...(pct ? Object.keys(lvs).filter((n) => n !== name && !/%/.test(lvs[n]!.size)).map((n) => addr.lv(vg, n)) : [])],
      });
    }
  }
  return out;
}
