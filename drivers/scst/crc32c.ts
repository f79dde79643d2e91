/**
 * Raw CRC32C as Linux `crc32c(0, buf, len)` computes it: reflected Castagnoli polynomial
 * 0x82F63B78, initial value 0, no final XOR. vdisk derives default identifiers from it (§1.3.3).
 */
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32cRaw(bytes: Uint8Array, seed = 0): number {
  let crc = seed >>> 0;
  for (const b of bytes) crc = (TABLE[(crc ^ b) & 0xff] ^ (crc >>> 8)) >>> 0;
  return crc >>> 0;
}

/** `(setup_id << 32) | crc32c_raw(name + NUL)` as lower-case hex without padding (the USN). */
export function defaultUsn(name: string, setupId: number): string {
  const bytes = Buffer.concat([Buffer.from(name, 'utf8'), Buffer.from([0])]);
  const id = (BigInt(setupId >>> 0) << 32n) | BigInt(crc32cRaw(bytes));
  return id.toString(16);
}

/** `t10_dev_id` default: `<usn>-<name>` truncated to 25 characters. */
export const defaultT10DevId = (name: string, setupId: number): string =>
  `${defaultUsn(name, setupId)}-${name}`.slice(0, 25);
