/** Reading the configuration attributes of one sysfs directory into canonical values. */
import type { Resource } from '../../reconciler/core/resource.js';
import type { AttrRule } from './attrs.js';
import type { AttrMap } from './kinds.js';
import type { Tree } from './tree.js';
import { fileValue } from './tree.js';
import { canonical, canonicalUnknown } from './values.js';

/** multi-valued attributes observed as their own resources. */
export const MULTI_VALUED = /^(IncomingUser|OutgoingUser|allowed_portal)\d*$/;

export type Add = (r: Omit<Resource, 'driver' | 'deps'>) => void;

/** configuration attributes of one sysfs directory: known ones always, unknown ones when key. */
export function readAttrs(tree: Tree, dir: string, rules: Record<string, AttrRule>, skip: Set<string>): AttrMap {
  const attrs: AttrMap = {};
  tree.forEach(dir, 'file', (f, e) => {
    if (skip.has(f) || f === 'mgmt' || MULTI_VALUED.test(f)) return;
    const v = fileValue(e);
    if (!v) return;
    const rule = rules[f];
    if (rule) {
      // no static default (filename, cpu_mask...): configured exactly when key. Identifiers are
      // always read (a plan shows the serial it changes); import drops the generated ones.
      if (rule.default === undefined && !rule.identity && (!v.key || v.value === '')) return;
      if (v.value === '' && rule.default === undefined) return;
      attrs[f] = canonical(rule.type, v.value);
    } else if (v.key) {
      attrs[f] = canonicalUnknown(v.value);
    }
  });
  return attrs;
}

