/** Stage, prune, managed kinds and what this machine cannot do for bcache. */
import type { Change, Stage } from '../../reconciler/core/change.js';
import type { Unavailable } from '../../reconciler/core/driver.js';
import type { Resource, Snapshot } from '../../reconciler/core/resource.js';
import type { SanformModel } from '../../schema/model.js';
import type { CacheSpec, DeviceSpec, LayerStatus } from './kinds.js';
import { MANAGED, addr, nameOf } from './kinds.js';
import { plainKernelName } from '../../reconciler/stack/paths.js';

export function stage(change: Change): Stage {
  if (change.action === 'delete') return 'teardown-objects';
  if (change.action === 'create' || change.action === 'replace') return 'create-objects';
  return 'attributes';
}

export const managedKinds = (model: SanformModel): string[] => (model.storage?.bcache ? [...MANAGED] : []);

/** The probe resource is never pruned; devices and cache sets sanform owns are. */
export const prune = (observed: Resource): 'delete' | 'keep' => (observed.kind === 'bcache.layer' ? 'keep' : 'delete');

/**
 * The kernel names bcache devices itself (bcacheN, the lowest free number at registration): a
 * device the file calls anything else could never be found under /dev by that name.
 */
export function unavailable(change: Change, observed: Snapshot): Unavailable | undefined {
  const fault = (change.before?.status as { fault?: string } | undefined)?.fault;
  if (fault && change.action === 'update') {
    return { reason: `hardware fault on ${change.address}: ${fault}`, hint: 'bring the cache device back (or replace it and re-register); sanform does not change a faulty bcache device' };
  }
  if (change.action !== 'create' && change.action !== 'replace') return undefined;
  const missing = absentDevices(change, observed);
  if (missing.length) return { reason: `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not on this machine`, hint: 'check the device paths in the file (or plug the disk in)' };
  if (change.kind !== 'bcache.device') return undefined;
  const name = nameOf(change.address);
  if (/^bcache\d+$/.test(name)) return undefined;
  return {
    reason: `the kernel names bcache devices bcacheN; ${change.address} would never appear as /dev/${name}`,
    hint: `rename storage.bcache.${name} to bcacheN (the next free number), and refer to it as /dev/bcacheN`,
  };
}

/**
 * Plain device paths a create uses that the machine does not have (`/sys/class/block`), unless
 * another layer of the plan makes them (the change then depends on a resource of another driver).
 */
function absentDevices(change: Change, observed: Snapshot): string[] {
  const present = (observed.resources.get(addr.layer())?.status as Partial<LayerStatus> | undefined)?.present;
  if (!present || !change.after) return [];
  if ((change.after.deps ?? []).some((d) => !d.startsWith('bcache/'))) return [];
  const spec = change.after.spec as unknown as Partial<DeviceSpec & CacheSpec>;
  const paths = [spec.device, spec.backing, spec.cache].filter((p): p is string => typeof p === 'string');
  const have = new Set(present);
  return paths.filter((p) => {
    const k = plainKernelName(p);
    return k !== undefined && !have.has(k);
  });
}
