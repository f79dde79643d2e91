/** compare: default-aware; level, metadata and name cannot change in place (a new array). */
import type { FieldChange } from '../../reconciler/core/change.js';
import type { Resource } from '../../reconciler/core/resource.js';

const FIXED = new Set(['level', 'metadata', 'name']);
/** desired-only hints, never compared (`order`: the member order mdadm --create gets). */
const IGNORED = new Set(['order']);

export function compare(before: Resource, after: Resource): FieldChange[] {
  const out: FieldChange[] = [];
  const b = before.spec as Record<string, unknown>;
  for (const [k, v] of Object.entries(after.spec)) {
    if (v === undefined || IGNORED.has(k)) continue;
    if (JSON.stringify(b[k]) === JSON.stringify(v)) continue;
    out.push({ field: k, before: b[k], after: v, inPlace: !FIXED.has(k) });
  }
  return out;
}
