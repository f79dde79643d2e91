/** Helpers for expanding the YAML into resources: node scoping and typed fields to attributes. */
import type { Resource } from '../../reconciler/core/resource.js';
import type { Attributes, NodeScoped } from '../../schema/model.js';
import type { AttrRule } from './attrs.js';
import { toKernelName } from './fields.js';
import type { AttrMap } from './kinds.js';
import { canonical } from './values.js';

export type Emit = (r: Omit<Resource, 'driver' | 'deps'> & { deps?: string[] }) => void;

/** whether an object restricted with `node:` belongs to this node. */
export function inScope(o: NodeScoped, node: string): boolean {
  if (o.node === undefined) return true;
  return Array.isArray(o.node) ? o.node.includes(node) : o.node === node;
}

/** typed fields (camelCase) and verbatim `attributes` -> kernel names with canonical values. */
export function typedAttrs(
  obj: Record<string, unknown>,
  fields: readonly string[],
  attributes: Attributes | undefined,
  rules: Record<string, AttrRule>,
): AttrMap {
  const out: AttrMap = {};
  for (const [k, v] of Object.entries(attributes ?? {})) out[k] = canonical(rules[k]?.type, v);
  for (const f of fields) {
    const v = obj[f];
    if (v === undefined || v === null) continue;
    const k = toKernelName(f);
    out[k] = canonical(rules[k]?.type, v as string | number | boolean);
  }
  return out;
}
