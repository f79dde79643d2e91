/** LVM's place in the storage stack: a VG uses its PVs; an active LV provides /dev/VG/LV and /dev/mapper/VG-LV. */
import type { Change } from '../../reconciler/core/change.js';
import type { BlockDevices } from '../../reconciler/core/driver.js';
import type { Resource } from '../../reconciler/core/resource.js';
import { dmName, type LvSpec, type LvStatus, type VgSpec } from './kinds.js';

export function blockDevices(r: Resource): BlockDevices | undefined {
  if (r.kind === 'lvm.vg') return { uses: [...(r.spec as unknown as VgSpec).pvs] };
  if (r.kind !== 'lvm.lv') return undefined;
  const s = r.spec as unknown as LvSpec;
  if (s.type === 'cache-pool') return undefined; // a cache pool is never a block device of its own
  const kernel = (r.status as unknown as Partial<LvStatus> | undefined)?.kernel;
  return { provides: [`/dev/${s.vg}/${s.name}`, `/dev/mapper/${dmName(s.vg, s.name)}`], ...(kernel ? { kernelName: kernel } : {}) };
}

/** lvextend makes the LV's device larger. */
export function grows(c: Change): boolean {
  if (c.kind !== 'lvm.lv' || c.action !== 'update') return false;
  return c.fields.some((f) => f.field === 'size' && (f.after as number) > (f.before as number));
}

/** Removing a cached LV removes its cache pool too; removing an origin removes its snapshots. */
export function cascades(removed: Resource, other: Resource): boolean {
  if (removed.kind !== 'lvm.lv' || other.kind !== 'lvm.lv') return false;
  const r = removed.spec as unknown as LvSpec;
  const o = other.spec as unknown as LvSpec;
  if (r.vg !== o.vg) return false;
  return (r.cache?.pool === o.name && o.type === 'cache-pool') || (o.type === 'snapshot' && o.origin === r.name);
}
