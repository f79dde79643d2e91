/**
 * Kernel holders of the live block devices: `/sys/block/NAME/holders` lists what sits on NAME
 * (a dm device, an md array, bcache). Read once per observe, only for devices a resource declares
 * as its `kernelName`, and kept in that resource's `status.holders` (sorted).
 */
import type { Host } from '../host/host.js';
import type { Address, Resource } from '../core/resource.js';
import { isErrno } from '../core/errors.js';
import { devicesOf, type DriverOf } from './devices.js';

export const SYS_BLOCK = '/sys/block';

/** Lists the holders of one kernel block device; a device that is gone has none. */
async function holdersOfDevice(host: Host, name: string): Promise<string[]> {
  try {
    return (await host.sysfs.list(`${SYS_BLOCK}/${name}/holders`)).sort();
  } catch (e) {
    if (isErrno(e, 'ENOENT') || isErrno(e, 'ENOTDIR')) return [];
    throw e;
  }
}

/** Sets `status.holders` on every resource with a kernel name that has holders (mutates). */
export async function attachHolders(host: Host, resources: Map<Address, Resource>, driverOf: DriverOf): Promise<void> {
  const named: [Resource, string][] = [];
  for (const r of resources.values()) {
    const k = devicesOf(r, driverOf).kernelName;
    if (k) named.push([r, k]);
  }
  const lists = await Promise.all(named.map(([, k]) => holdersOfDevice(host, k)));
  named.forEach(([r, ], i) => {
    if (lists[i].length > 0) r.status = { ...(r.status ?? {}), holders: lists[i] };
  });
}
