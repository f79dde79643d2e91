/**
 * Set UUIDs sanform chooses: make-bcache -C gets `--cset-uuid`, derived from the cache device's
 * path, so the plan can print the exact attach commands before the set exists (a plan is pure:
 * no random numbers, no clock).
 */
import { createHash } from 'node:crypto';

/** A version-4-shaped UUID derived from a seed. */
export function seededUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  const v = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${v}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The set UUID sanform gives a cache set it creates on `device`. */
export const planSetUuid = (device: string): string => seededUuid(`sanform:bcache:cset:${device}`);
