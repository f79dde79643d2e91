/** Parsing of the value forms the file allows: sizes with binary units, hex setup ids. */

const UNIT: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** `10G` -> 10737418240 (K/M/G/T are powers of 1024); a number is bytes. Undefined if not whole bytes. */
export function parseSize(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^([0-9]+(?:\.[0-9]+)?)([KMGTkmgt]?)$/.exec(v);
  if (!m) return undefined;
  const bytes = Number(m[1]) * UNIT[m[2].toLowerCase()];
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** `0x5a01` -> 23041; integers pass through. Undefined if neither form. */
export function parseSetupId(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  if (typeof v === 'string' && /^0[xX][0-9a-fA-F]{1,8}$/.test(v)) return Number.parseInt(v.slice(2), 16);
  return undefined;
}

export const isPowerOfTwo = (n: number): boolean => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
