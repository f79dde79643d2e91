/** stage, managed kinds, prune, import-facing helpers of the md driver. */
import type { Change, Stage } from '../../reconciler/core/change.js';
import type { Resource } from '../../reconciler/core/resource.js';
import type { SanformModel } from '../../schema/model.js';

export function stage(c: Change): Stage {
  if (c.action === 'delete') return 'teardown-objects';
  return c.kind === 'md.conf' ? 'attributes' : 'create-objects';
}

export const managedKinds = (model: SanformModel): string[] => (model.storage?.md ? ['md.array', 'md.conf'] : []);

/** mdadm.conf is kept (rewritten), never deleted; the layer resource is a fact, not an object. */
export function prune(r: Resource): 'delete' | 'keep' | Resource {
  if (r.kind === 'md.conf') return { ...r, spec: { arrays: [] } };
  return r.kind === 'md.layer' ? 'keep' : 'delete';
}
