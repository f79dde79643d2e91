/** Writes of tunables: sizes go to the kernel as plain byte counts (it refuses `4M`). */
import type { Op } from '../../reconciler/core/change.js';
import type { AttrValue } from '../../schema/model.js';
import { shown } from './compare.js';

export function attrWrite(dir: string, name: string, v: AttrValue): Op {
  const value = String(typeof v === 'boolean' ? Number(v) : v);
  const want = shown(name, v);
  return { type: 'write', path: `${dir}/${name}`, value, ...(want !== undefined ? { verify: { path: `${dir}/${name}`, value: want } } : {}) };
}
