/** Kernel attributes -> typed YAML fields (where the schema has one) and `attributes:`. */
import type { AttrValue } from '../../schema/model.js';
import { defaultOf, rulesFor } from './attrs.js';
import { toKernelName } from './fields.js';
import type { AttrMap } from './kinds.js';
import { sameValue } from './values.js';

/** typed fields for kernel names the schema knows, `attributes` for the rest; defaults dropped, except roles. */
export function typed(kind: string, attrs: AttrMap, fields: readonly string[], handler?: string): Record<string, unknown> {
  const rules = rulesFor(kind);
  const byKernel = new Map(fields.map((f) => [toKernelName(f), f]));
  const out: Record<string, unknown> = {};
  const rest: Record<string, AttrValue> = {};
  for (const k of Object.keys(attrs).sort()) {
    const v = attrs[k];
    const def = defaultOf(kind, k, handler);
    if (def !== undefined && !rules[k]?.role && sameValue(rules[k], v, def)) continue;
    const f = byKernel.get(k);
    if (f) out[f] = v;
    else rest[k] = v;
  }
  if (Object.keys(rest).length) out.attributes = rest;
  return out;
}
