/**
 * The identifiers vdisk generates for a device at creation (reference/scst-sysfs.md §1.3.3):
 * id = (setup_id << 32) | crc32c(name + NUL), usn = hex(id), t10_dev_id = `${usn}-${name}` cut at
 * 25. Import uses them to leave generated identifiers out of the YAML.
 */
import { defaultT10DevId, defaultUsn } from './crc32c.js';

export function generatedIdentifiers(name: string, setupId: number, handler: string): Record<string, string> {
  const usn = defaultUsn(name, setupId);
  const t10 = defaultT10DevId(name, setupId);
  return {
    usn,
    t10_dev_id: t10,
    vend_specific_id: t10,
    prod_id: name.slice(0, 16),
    t10_vend_id: handler === 'vdisk_blockio' ? 'SCST_BIO' : 'SCST_FIO',
  };
}
