/**
 * The identifiers vdisk generates for a device at creation (reference/scst-sysfs.md §1.3.3):
 * id = (setup_id << 32) | crc32c(name + NUL), usn = hex(id), t10_dev_id = `${usn}-${name}` cut at
 * 25. Import uses them to leave generated identifiers out of the YAML.
 */
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** reflected Castagnoli CRC, initial value 0, no final XOR (Linux crc32c(0, buf, len)). */
export function crc32cRaw(bytes: Uint8Array): number {
  let c = 0;
  for (const b of bytes) c = TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return c >>> 0;
}

export function generatedIdentifiers(name: string, setupId: number, handler: string): Record<string, string> {
  const crc = crc32cRaw(new TextEncoder().encode(`${name}\0`));
  const usn = ((BigInt(setupId) << 32n) | BigInt(crc)).toString(16);
  const t10 = `${usn}-${name}`.slice(0, 25);
  return {
    usn,
    t10_dev_id: t10,
    vend_specific_id: t10,
    prod_id: name.slice(0, 16),
    t10_vend_id: handler === 'vdisk_blockio' ? 'SCST_BIO' : 'SCST_FIO',
  };
}
