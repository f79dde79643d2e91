/**
 * desired(model, ctx): `storage.bcache` for one node. Each entry is a bcache.device; each distinct
 * cache device becomes one bcache.cache (a cache set several devices may share). Attribute values
 * are canonical: sizes (sequential_cutoff: 4M) as byte counts.
 */
import type { DesiredContext } from '../../reconciler/core/driver.js';
import type { Resource } from '../../reconciler/core/resource.js';
import { parseSize } from '../../reconciler/load/units.js';
import type { AttrValue, BcacheSpec, SanformModel } from '../../schema/model.js';
import type { CacheSpec, DeviceSpec } from './kinds.js';
import { HPRINT_TUNABLES, addr } from './kinds.js';
import { kernelName } from '../../reconciler/stack/paths.js';

const onNode = (spec: BcacheSpec, node: string): boolean =>
  spec.node === undefined || (Array.isArray(spec.node) ? spec.node.includes(node) : spec.node === node);

/** A declared attribute value in canonical form: bytes for size tunables, else as written. */
export function canonicalAttr(name: string, v: AttrValue): AttrValue {
  if (HPRINT_TUNABLES.has(name)) return parseSize(v) ?? v;
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

export function desired(model: SanformModel, ctx: DesiredContext): Resource[] {
  const bcache = model.storage?.bcache;
  if (!bcache) return [];
  const out: Resource[] = [];
  const caches = new Set<string>();
  for (const [name, d] of Object.entries(bcache)) {
    if (!onNode(d, ctx.node)) continue;
    const spec: DeviceSpec = { backing: d.backing };
    if (d.cache) {
      spec.cache = d.cache;
      caches.add(d.cache);
    }
    if (d.mode) spec.mode = d.mode;
    if (d.attributes) spec.attributes = Object.fromEntries(Object.entries(d.attributes).map(([k, v]) => [k, canonicalAttr(k, v)]));
    out.push({ address: addr.device(name), kind: 'bcache.device', driver: 'bcache', spec: spec as unknown as Record<string, unknown>, deps: d.cache ? [addr.cache(kernelName(d.cache))] : [] });
  }
  for (const dev of [...caches].sort()) {
    out.push({ address: addr.cache(kernelName(dev)), kind: 'bcache.cache', driver: 'bcache', spec: { device: dev } satisfies CacheSpec, deps: [] });
  }
  return out;
}
