/**
 * Block devices under SCST devices: a `/dev/...` filename either resolves to a layer the storage
 * section declares (providedDevices), or is a physical disk the machine has (/dev/sdb,
 * /dev/nvme0n1, /dev/disk/by-id/...: nothing to warn about), or has the form of a layer device
 * (md, LVM, device-mapper, DRBD, bcache, btier) that no layer declares: a warning, since nothing
 * will create it and it is most likely a typo or a forgotten storage: entry.
 * Runs only on a document whose shape the schema accepted.
 */
import type { SanformModel } from '../../../schema/model.js';
import { providedDevices } from '../provided.js';
import { at, objEntries } from './context.js';
import type { Rule } from './context.js';

const LAYER_FORMS = [
  /^\/dev\/md(\d+|\/.+)$/, // md: /dev/md0, /dev/md/name
  /^\/dev\/drbd(\d+|\/.+)$/, // DRBD: /dev/drbd0, /dev/drbd/by-res/r0/0
  /^\/dev\/bcache(\d+|\/.+)$/, // bcache
  /^\/dev\/(mapper\/.+|dm-\d+)$/, // device-mapper (LVM, lvmcache, dm-cache)
  /^\/dev\/sdtier/, // btier
  /^\/dev\/(?!disk\/|block\/|by-)[^/]+\/[^/]+$/, // LVM: /dev/VG/LV
];

/** true for paths that only a storage layer brings into existence. */
export const looksLikeLayerDevice = (path: string): boolean => LAYER_FORMS.some((re) => re.test(path));

export const blockDeviceRules: Rule = (ctx) => {
  const provided = providedDevices(ctx.data as unknown as SanformModel);
  for (const [name, dev] of objEntries(at(ctx.data, 'scst', 'devices'))) {
    const file = dev.filename;
    if (typeof file !== 'string' || !looksLikeLayerDevice(file) || provided.has(file)) continue;
    if (dev.handler !== 'vdisk_blockio' && dev.handler !== 'vdisk_fileio') continue;
    ctx.report({
      path: ['scst', 'devices', name, 'filename'], at: 'value', code: 'UNKNOWN_BLOCK_DEVICE', severity: 'warning',
      message: `${file} looks like a storage layer's device, but no layer under storage: provides it; sanform assumes it exists on the machine`,
      hint: 'declare the md array, LV, DRBD resource, bcache or btier device under storage: (so it is created first), or correct the path',
    });
  }
};
