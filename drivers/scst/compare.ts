/**
 * compare(before, after): default-aware field comparison. `before` is the live (observed) side,
 * `after` the desired side. An attribute the YAML does not set is not managed, whatever it is
 * (one rule, attrs.ts); one it sets is compared with the live value, or the kernel default where
 * the live side does not show it.
 */
import type { FieldChange } from '../../reconciler/core/change.js';
import type { Resource } from '../../reconciler/core/resource.js';
import type { AttrValue } from '../../schema/model.js';
import { defaultOf, rulesFor } from './attrs.js';
import type { AttrMap, ChapSpec, TargetSpec } from './kinds.js';
import { sameValue } from './values.js';

export function compare(before: Resource, after: Resource): FieldChange[] {
  const b = before.spec as Record<string, unknown>;
  const a = after.spec as Record<string, unknown>;
  const out: FieldChange[] = [];
  const field = (name: string, inPlace: boolean): void => {
    if (b[name] !== a[name]) out.push({ field: name, before: b[name], after: a[name], inPlace });
  };
  switch (after.kind) {
    case 'scst.device':
      field('handler', false);
      break;
    case 'scst.driver-enabled':
    case 'scst.target-enabled':
      field('enabled', true);
      break;
    case 'scst.lun':
    case 'scst.copy-manager-lun':
      field('device', true);
      field('read_only', true);
      break;
    case 'scst.initiator':
      field('group', true);
      break;
    case 'scst.chap-user': {
      const incoming = (a as unknown as ChapSpec).direction === 'incoming';
      field('user', false);
      field('secret', incoming);
      break;
    }
    case 'scst.alua-tg-target':
      field('remote', false);
      if (a.rel_tgt_id !== undefined) field('rel_tgt_id', true);
      break;
    case 'scst.target':
      out.push(...compareNpiv(b as unknown as TargetSpec, a as unknown as TargetSpec));
      break;
  }
  if ('attributes' in a) {
    const handler = typeof a.handler === 'string' ? a.handler : undefined;
    out.push(...compareAttrs(after.kind, (b.attributes ?? {}) as AttrMap, a.attributes as AttrMap, handler));
  }
  return out;
}

/** attribute by attribute, against the kernel default where the live side does not show it. */
export function compareAttrs(kind: string, before: AttrMap, after: AttrMap, handler?: string): FieldChange[] {
  const rules = rulesFor(kind);
  const out: FieldChange[] = [];
  for (const k of Object.keys(after).sort()) {
    const want: AttrValue | undefined = after[k];
    if (want === undefined) continue;
    const rule = rules[k];
    const live: AttrValue | undefined = before[k] ?? defaultOf(kind, k, handler);
    if (sameValue(rule, live, want)) continue;
    out.push({ field: `attributes.${k}`, before: before[k], after: want, inPlace: inPlace(kind, k, handler) });
  }
  return out;
}

function inPlace(kind: string, attr: string, handler?: string): boolean {
  const rule = rulesFor(kind)[attr];
  if (!rule) return true;
  if (kind === 'scst.device' && attr === 'size') return handler === 'vdisk_blockio' || handler === 'vdisk_nullio';
  return rule.writable === true;
}

function compareNpiv(b: TargetSpec, a: TargetSpec): FieldChange[] {
  const bn = b.npiv?.node_name;
  const an = a.npiv?.node_name;
  if (an === undefined || an === bn) return [];
  return [{ field: 'npiv.node_name', before: bn, after: an, inPlace: false }];
}
