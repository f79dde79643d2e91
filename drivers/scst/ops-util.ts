/** Builders for printable kernel operations and attribute writes shared by the ops modules. */
import type { Change, FieldChange, Op } from '../../reconciler/core/change.js';
import type { AttrValue } from '../../schema/model.js';
import { defaultOf, rulesFor } from './attrs.js';
import type { AttrMap } from './kinds.js';
import { format, formatWrite, sameValue } from './values.js';

export const mgmt = (path: string, command: string, exists?: { path: string; exists: boolean }): Op =>
  exists ? { type: 'mgmt', path, command, verify: exists } : { type: 'mgmt', path, command };

/** one attribute write; `expect` is the live value the plan saw, when there is one. */
export function write(a: { path: string; kind: string; attr: string; value: AttrValue; before?: AttrValue }): Op {
  const type = rulesFor(a.kind)[a.attr]?.type;
  const value = formatWrite(type, a.value);
  const op: Op = { type: 'write', path: a.path, value, verify: { path: a.path, value: format(type, a.value) } };
  if (a.before !== undefined) op.expect = format(type, a.before);
  return op;
}

/** writes for the attribute fields of an update, in field order. */
export function attrWrites(kind: string, dir: string, fields: FieldChange[]): Op[] {
  return fields
    .filter((f) => f.field.startsWith('attributes.') && f.after !== undefined)
    .map((f) => {
      const attr = f.field.slice('attributes.'.length);
      return write({ path: `${dir}/${attr}`, kind, attr, value: f.after as AttrValue, before: f.before as AttrValue | undefined });
    });
}

/** writes after a create: every attribute not passed at creation whose value is not the default. */
export function initialWrites(a: { kind: string; dir: string; attrs: AttrMap; skip?: Set<string>; handler?: string }): Op[] {
  const rules = rulesFor(a.kind);
  const out: Op[] = [];
  for (const k of Object.keys(a.attrs).sort()) {
    if (a.skip?.has(k)) continue;
    const def = defaultOf(a.kind, k, a.handler);
    if (def !== undefined && sameValue(rules[k], a.attrs[k], def)) continue;
    out.push(write({ path: `${a.dir}/${k}`, kind: a.kind, attr: k, value: a.attrs[k] }));
  }
  return out;
}

export const specOf = <T>(change: Change, side: 'before' | 'after'): T => (change[side]?.spec ?? {}) as T;
