/** Stage, prune, managed kinds and what this machine cannot do for bcache. */
import type { Change, Stage } from '../../reconciler/core/change.js';
import type { Unavailable } from '../../reconciler/core/driver.js';
import type { Resource, Snapshot } from '../../reconciler/core/resource.js';
import type { SanformModel } from '../../schema/model.js';
import { MANAGED, nameOf } from './kinds.js';

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
export function unavailable(change: Change, _observed: Snapshot): Unavailable | undefined {
  if (change.kind !== 'bcache.device' || (change.action !== 'create' && change.action !== 'replace')) return undefined;
  const name = nameOf(change.address);
  if (/^bcache\d+$/.test(name)) return undefined;
  return {
    reason: `the kernel names bcache devices bcacheN; ${change.address} would never appear as /dev/${name}`,
    hint: `rename storage.bcache.${name} to bcacheN (the next free number), and refer to it as /dev/bcacheN`,
  };
}
