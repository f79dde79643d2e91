/**
 * SCST's mgmt lexing rules (§2.1): a lexem is a run of characters other than whitespace and `=`;
 * parameters are tokens split on `;` and newline, each exactly `name value`; an empty token ends
 * the list; verbs and parameter names are case-insensitive, object names case-sensitive.
 */
import { ErrnoError } from '../../../reconciler/core/errors.js';

const SEP = /[\s=]+/;

/** All lexems of a string, in order. */
export const lexems = (s: string): string[] => s.split(SEP).filter((x) => x.length > 0);

/**
 * Splits off the first lexem: returns it and the text after it (unparsed). Like
 * scst_get_next_lexem(), the one separator that ends the lexem is consumed with it, so in
 * `add_device d  ;a=1` the parameters are ` ;a=1` (a blank token, EINVAL) but in
 * `add_device d ;a=1` they are `;a=1` (an empty token: no parameters).
 */
export function nextLexem(s: string): [string, string] {
  const m = /^[\s=]*([^\s=]*)/.exec(s)!;
  return [m[1], s.slice(m[0].length + (m[1] && m[0].length < s.length ? 1 : 0))];
}

/** Throws the errno a kernel store returns; `message` mirrors the kernel log line. */
export function fail(errno: string, message?: string): never {
  throw new ErrnoError(errno, { message: message ?? errno });
}

/** One `name value` pair; names are lower-cased (they are compared case-insensitively). */
export interface Param {
  name: string;
  value: string;
}

/**
 * How a parser treats a token with no lexem (` ` or `=`) and lexems past the value: vdisk
 * add_device and luns/mgmt refuse both (EINVAL); scst_local's add_target stops at the first and
 * ignores the second.
 */
export type ParamMode = 'strict' | 'lenient';

/**
 * Parses `p=v; q=w` per §2.1, the way scst_get_next_token_str() cuts tokens: a token ends at `;`,
 * newline or the end; a zero-length token ends the list (`a=1;;b=2` ignores `b`); a token that is
 * not empty but holds no lexem is a syntax error (EINVAL); value missed / too many values EINVAL.
 */
export function parseParams(s: string, mode: ParamMode = 'strict'): Param[] {
  const out: Param[] = [];
  for (const token of s.split(/[;\n]/)) {
    if (token === '') break;
    const lx = lexems(token);
    if (lx.length === 0) {
      if (mode === 'lenient') break;
      fail('EINVAL', `syntax error at "${token}"`);
    }
    if (lx.length === 1) fail('EINVAL', `value missed for parameter ${lx[0]}`);
    if (lx.length > 2 && mode === 'strict') fail('EINVAL', `too many values for parameter ${lx[0]}`);
    out.push({ name: lx[0].toLowerCase(), value: lx[1] });
  }
  return out;
}

/** Kernel `kstrtoul`-like parse with base auto-detection (0x.., 0.., decimal); EINVAL if bad. */
export function parseUnsigned(v: string): number {
  const t = v.trim();
  let n: number;
  if (/^0x[0-9a-f]+$/i.test(t)) n = parseInt(t.slice(2), 16);
  else if (/^0[0-7]*$/.test(t)) n = parseInt(t, 8);
  else if (/^[1-9][0-9]*$/.test(t)) n = parseInt(t, 10);
  else return fail('EINVAL', `invalid number ${v}`);
  if (!Number.isSafeInteger(n)) fail('EINVAL', `number out of range ${v}`);
  return n;
}

/** Signed decimal integer (kstrtol base 10); EINVAL if bad. */
export function parseSigned(v: string): number {
  const t = v.trim();
  if (!/^[-+]?[0-9]+$/.test(t)) fail('EINVAL', `invalid number ${v}`);
  return parseInt(t, 10);
}

/** A 0/1 value as vdisk attributes accept it. */
export function parseBool01(v: string): 0 | 1 {
  const n = parseUnsigned(v);
  if (n !== 0 && n !== 1) fail('EINVAL', `expected 0 or 1: ${v}`);
  return n as 0 | 1;
}

/** Drops one trailing newline, as most SCST stores do. */
export const chomp = (s: string): string => (s.endsWith('\n') ? s.slice(0, -1) : s);

/** The kernel's strim(): leading and trailing ASCII whitespace (isspace) only, never U+00A0 or U+2028. */
export const strip = (s: string): string => s.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');

/** A length as the kernel counts it: bytes (UTF-8), not UTF-16 units. */
export const bytes = (s: string): number => Buffer.byteLength(s);
