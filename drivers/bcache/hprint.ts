/**
 * bcache prints sizes the kernel's way (bch_hprint): divide by 1024 at least once and while
 * the quotient has more than three digits, keep one decimal of the last remainder, add a unit.
 * 0 -> `0.0k`, 4 MiB -> `4.0M`, 1000000 -> `976.5k`. Used by the emulator to print and by the
 * driver to compare a declared byte count with what the kernel shows.
 */
const UNITS = '?kMGTPEZY';

export function hprint(v: number): string {
  let q = BigInt(Math.abs(Math.trunc(v)));
  let u = 0;
  let t = 0n;
  do {
    u++;
    t = q & 1023n;
    q >>= 10n;
  } while (q >= 1000n);
  return `${v < 0 ? '-' : ''}${q}.${(t * 10n) / 1024n}${UNITS[u]}`;
}

/** Bytes for a size the kernel printed (`4.0M`) or a plain integer; undefined when neither. */
export function parseHprint(s: string): number | undefined {
  const m = /^\s*(-?\d+)(?:\.(\d))?([kMGTPEZY])?\s*$/.exec(s);
  if (!m) return undefined;
  const unit = m[3] ? UNITS.indexOf(m[3]) : 0;
  const whole = Number(m[1]) * 1024 ** unit;
  return m[2] && unit ? whole + Math.round((Number(m[2]) / 10) * 1024 ** unit) : whole;
}
