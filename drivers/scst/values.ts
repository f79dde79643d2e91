/**
 * Canonical attribute values: one form for what the YAML says and what the kernel prints, so
 * `0x10` and `16`, `yes` and `1`, `Yes` and `true` never show up as drift.
 */
import type { AttrValue } from '../../schema/model.js';
import type { AttrRule, ValueType } from './attrs.js';

const UNITS: Record<string, number> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40, P: 2 ** 50 };

/** `10G`, `512`, `0x20` -> number; anything else unchanged. */
export function toNumber(v: AttrValue): AttrValue {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const s = v.trim();
  if (/^-?\d+$/.test(s)) return Number(s);
  if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s, 16);
  const m = /^(\d+(?:\.\d+)?)\s*([KMGTP])i?B?$/i.exec(s);
  if (m) return Math.round(Number(m[1]) * UNITS[m[2].toUpperCase()]);
  return v;
}

function toBool(v: AttrValue): AttrValue {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  const s = v.trim().toLowerCase();
  if (s === '1' || s === 'yes' || s === 'true' || s === 'on') return true;
  if (s === '0' || s === 'no' || s === 'false' || s === 'off') return false;
  return v;
}

/** canonical form of a value of the given type. */
export function canonical(type: ValueType | undefined, v: AttrValue): AttrValue {
  switch (type) {
    case 'bool':
    case 'yesno':
      return toBool(v);
    case 'int':
    case 'hex':
      return toNumber(v);
    case 'word':
      return typeof v === 'string' ? v.trim() : v;
    case 'text':
      return typeof v === 'string' ? v : String(v);
    default:
      return canonicalUnknown(v);
  }
}

/**
 * an attribute sanform has no rule for: an integer whose text a number gives back exactly becomes
 * that number; the rest stays verbatim (`000123` keeps its zeros, a 20-digit id its digits).
 */
export function canonicalUnknown(v: AttrValue): AttrValue {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  return /^-?\d+$/.test(t) && Number.isSafeInteger(Number(t)) && String(Number(t)) === t ? Number(t) : v;
}

/** words the kernel matches case-insensitively compare case-insensitively (addr_method...). */
export function sameValue(rule: AttrRule | undefined, a: AttrValue | undefined, b: AttrValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (rule?.type === 'word' && typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

/** the text written to the kernel for a canonical value. */
export function format(type: ValueType | undefined, v: AttrValue): string {
  if (type === 'yesno') return v === true ? 'Yes' : v === false ? 'No' : String(v);
  if (type === 'hex' && typeof v === 'number') return `0x${v.toString(16)}`;
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}

/** what a write must carry to clear an attribute to its empty default (a lone newline). */
export function formatWrite(type: ValueType | undefined, v: AttrValue): string {
  const s = format(type, v);
  return s === '' ? '\n' : s;
}

/** first line of a sysfs file and whether it carries the `[key]` mark (§3.1). */
export function parseSysfsValue(content: string): { value: string; key: boolean } {
  const nl = content.indexOf('\n');
  // most files are one line, or carry no mark: no need to split them
  if (nl < 0) return { value: content, key: false };
  if (content.indexOf('[key]', nl) < 0) return { value: content.slice(0, nl), key: false };
  const lines = content.split('\n');
  const value = lines[0] ?? '';
  const key = lines.slice(1).some((l) => l.trim() === '[key]');
  return { value, key };
}
