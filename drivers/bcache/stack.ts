/** Where bcache sits in the storage stack: the block devices it provides and uses. */
import type { BlockDevices } from '../../reconciler/core/driver.js';
import type { Resource } from '../../reconciler/core/resource.js';
import type { CacheSpec, DeviceSpec, DeviceStatus } from './kinds.js';
import { nameOf } from './kinds.js';

export function blockDevices(r: Resource): BlockDevices | undefined {
  if (r.kind === 'bcache.cache') return { uses: [(r.spec as unknown as CacheSpec).device] };
  if (r.kind !== 'bcache.device') return undefined;
  const spec = r.spec as unknown as DeviceSpec;
  const st = r.status as Partial<DeviceStatus> | undefined;
  const name = nameOf(r.address);
  const live = st ? st.kernelName : name;
  return {
    provides: live ? [`/dev/${live}`] : [],
    uses: [spec.backing, ...(spec.cache ? [spec.cache] : [])],
    ...(st?.kernelName ? { kernelName: st.kernelName } : {}),
  };
}
