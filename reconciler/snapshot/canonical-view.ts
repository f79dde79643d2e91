/**
 * What canonicalJson stringifies: a value that JSON.stringify writes exactly as it writes
 * `sortKeys(value)`, sharing every part that is canonical already instead of copying it. Observed
 * resources are built with their keys in order (attribute maps come from sorted directory
 * listings), so hashing a large snapshot copies next to nothing. Only for immediate
 * stringifying: the result may be the input itself.
 */
import { sortKeys } from './canonical.js';

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;
/** keys a plain object enumerates first, in numeric order, whatever the insertion order. */
const isIndex = (k: string): boolean => k.charCodeAt(0) <= 57 && ARRAY_INDEX.test(k) && Number(k) < 4294967295;

export function canonicalView(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  return Array.isArray(v) ? viewArray(v) : viewObject(v as Record<string, unknown>);
}

function viewArray(a: unknown[]): unknown {
  if (Object.getPrototypeOf(a) !== Array.prototype || Object.hasOwn(a, 'toJSON')) return sortKeys(a);
  let out: unknown[] | undefined;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = canonicalView(x);
    if (y !== x) (out ??= a.slice())[i] = y;
  }
  return out ?? a;
}

function viewObject(o: Record<string, unknown>): unknown {
  const proto = Object.getPrototypeOf(o);
  if (proto !== Object.prototype && proto !== null) return sortKeys(o); // Date, Map...: as sortKeys copies them
  const keys = Object.keys(o);
  let sorted = true;
  let prev: string | undefined;
  for (const k of keys) {
    if (k === '__proto__' || k === 'toJSON') return sortKeys(o);
    if (isIndex(k)) continue;
    if (prev !== undefined && !(prev < k)) sorted = false;
    prev = k;
  }
  if (!sorted) keys.sort();
  let out: Record<string, unknown> | undefined = sorted ? undefined : {};
  for (const k of keys) {
    const x = o[k];
    const y = canonicalView(x);
    if (out) out[k] = y;
    else if (y !== x) {
      out = {};
      for (const j of keys) {
        if (j === k) break;
        out[j] = o[j];
      }
      out[k] = y;
    }
  }
  return out ?? o;
}
