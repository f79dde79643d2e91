/**
 * compare(before, after): default-aware. A field the file leaves out is not managed (a mode or a
 * tunable it does not set stays as it is); a size tunable is equal when the kernel prints the
 * declared byte count the same way (`4194304` and `4.0M`). The backing device cannot change in
 * place; a cache can (detach, attach); a file without `cache:` leaves the cache alone; mode and tunables are sysfs writes.
 */
import type { FieldChange } from '../../reconciler/core/change.js';
import type { Resource } from '../../reconciler/core/resource.js';
import type { AttrValue } from '../../schema/model.js';
import { hprint } from './hprint.js';
import type { DeviceSpec } from './kinds.js';
import { HPRINT_TUNABLES } from './kinds.js';
import { samePath } from '../../reconciler/stack/paths.js';

/** How the kernel would show a declared value of attribute `name`. */
export function shown(name: string, v: AttrValue | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (HPRINT_TUNABLES.has(name) && typeof v === 'number') return hprint(v);
  return String(typeof v === 'boolean' ? Number(v) : v);
}

export function compare(before: Resource, after: Resource): FieldChange[] {
  if (after.kind !== 'bcache.device') {
    const b = (before.spec as { device?: string }).device ?? '';
    const a = (after.spec as { device?: string }).device ?? '';
    return samePath(a, b) ? [] : [{ field: 'device', before: b, after: a, inPlace: false }];
  }
  const b = before.spec as unknown as DeviceSpec;
  const a = after.spec as unknown as DeviceSpec;
  const out: FieldChange[] = [];
  if (!samePath(a.backing, b.backing)) out.push({ field: 'backing', before: b.backing, after: a.backing, inPlace: false });
  // a file without `cache:` does not manage the cache (it never detaches one it does not mention)
  if (a.cache !== undefined && (b.cache === undefined || !samePath(a.cache, b.cache))) {
    out.push({ field: 'cache', before: b.cache, after: a.cache, inPlace: true });
  }
  if (a.mode !== undefined && a.mode !== b.mode) out.push({ field: 'mode', before: b.mode, after: a.mode, inPlace: true });
  for (const [k, v] of Object.entries(a.attributes ?? {})) {
    const live = b.attributes?.[k];
    const want = shown(k, v);
    const have = live === undefined ? undefined : typeof live === 'number' ? shown(k, live) : String(live);
    if (want !== have) out.push({ field: `attributes.${k}`, before: live, after: v, inPlace: true });
  }
  return out;
}
