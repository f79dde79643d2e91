/** Helpers to build snapshots for engine tests. */
import type { Resource, Snapshot } from '../../reconciler/core/resource.js';

/**
 * A snapshot of `resources`. As an observed state it is a machine sanform configured: every
 * object is in its inventory, so prune may delete it (reconciler/inventory.ts).
 */
export function snap(resources: Resource[], node = 'n1'): Snapshot {
  return { node, takenAt: '', source: 'test', resources: new Map(resources.map((r) => [r.address, r])), inventory: resources.map((r) => r.address) };
}
