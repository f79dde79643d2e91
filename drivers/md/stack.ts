/** The md driver's place in the storage stack: an array provides /dev/mdN and /dev/md/NAME and uses its members. */
import type { Change } from '../../reconciler/core/change.js';
import type { BlockDevices } from '../../reconciler/core/driver.js';
import type { Resource } from '../../reconciler/core/resource.js';
import { devicePath, type ArraySpec, type ArrayStatus } from './kinds.js';

export function blockDevices(r: Resource): BlockDevices | undefined {
  if (r.kind !== 'md.array') return undefined;
  const s = r.spec as unknown as ArraySpec;
  const kernel = (r.status as unknown as ArrayStatus | undefined)?.kernel;
  const provides = [...new Set([devicePath(s.name), `/dev/md/${s.name}`, ...(kernel ? [`/dev/${kernel}`] : [])])].sort();
  return { provides, uses: [...s.devices, ...s.spares], ...(kernel ? { kernelName: kernel } : {}) };
}

/** More data members on a striped level make the array larger (raid1 only gains copies). */
export function grows(c: Change): boolean {
  if (c.kind !== 'md.array' || c.action !== 'update') return false;
  const b = c.before!.spec as unknown as ArraySpec;
  const a = c.after!.spec as unknown as ArraySpec;
  return a.level !== 'raid1' && a.devices.length > b.devices.length;
}
