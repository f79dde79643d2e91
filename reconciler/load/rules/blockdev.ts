/**
 * Block devices under SCST devices: a `/dev/...` filename either resolves to a layer the storage
 * section declares (providedDevices) or is reported as a warning (a disk the file cannot vouch for).
 * Runs only on a document whose shape the schema accepted.
 */
import type { SanformModel } from '../../../schema/model.js';
import { providedDevices } from '../provided.js';
import { at, objEntries } from './context.js';
import type { Rule } from './context.js';

export const blockDeviceRules: Rule = (ctx) => {
  const provided = providedDevices(ctx.data as unknown as SanformModel);
  for (const [name, dev] of objEntries(at(ctx.data, 'scst', 'devices'))) {
    const file = dev.filename;
    if (typeof file !== 'string' || !file.startsWith('/dev/') || provided.has(file)) continue;
    if (dev.handler !== 'vdisk_blockio' && dev.handler !== 'vdisk_fileio') continue;
    ctx.report({
      path: ['scst', 'devices', name, 'filename'], at: 'value', code: 'UNKNOWN_BLOCK_DEVICE', severity: 'warning',
      message: `${file} is not provided by any layer in storage:; sanform assumes it exists on the machine`,
      hint: 'fine for a physical disk; for md/LVM/DRBD/bcache/btier declare the layer under storage: so it is created first',
    });
  }
};
