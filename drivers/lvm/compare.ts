/**
 * compare: default-aware. A field the file leaves out is not managed (a cache mode or policy not
 * given, a cache not named). Sizes compare in whole extents of the live VG. The LV type cannot
 * change in place (a new LV); everything else can.
 */
import type { FieldChange } from '../../reconciler/core/change.js';
import type { Resource } from '../../reconciler/core/resource.js';
import { DEFAULT_EXTENT, roundUp, type LvCache, type LvStatus } from './kinds.js';

/** desired-only hints, never compared. */
const IGNORED = new Set(['extents', 'pvs', 'vg', 'name', 'unsupportedType']);

export function compare(before: Resource, after: Resource): FieldChange[] {
  const out: FieldChange[] = [];
  const b = before.spec as Record<string, unknown>;
  const extent = (before.status as Partial<LvStatus> | undefined)?.extentSize ?? DEFAULT_EXTENT;
  for (const [k, v] of Object.entries(after.spec)) {
    if (v === undefined || IGNORED.has(k)) continue;
    if (k === 'size' && before.kind === 'lvm.lv') {
      const want = roundUp(v as number, extent);
      if (want !== b.size) out.push({ field: 'size', before: b.size, after: want, inPlace: true });
      continue;
    }
    if (k === 'cache') {
      const w = v as LvCache;
      const h = b.cache as LvCache | undefined;
      const same = h && h.pool === w.pool && (w.mode === undefined || w.mode === h.mode) && (w.policy === undefined || w.policy === h.policy);
      if (!same) out.push({ field: 'cache', before: h, after: { ...h, ...w }, inPlace: true });
      continue;
    }
    if (JSON.stringify(b[k]) === JSON.stringify(v)) continue;
    out.push({ field: k, before: b[k], after: v, inPlace: k !== 'type' && k !== 'origin' });
  }
  return out;
}
