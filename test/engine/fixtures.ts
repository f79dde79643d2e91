/** Helpers to build snapshots for engine tests. */
import type { Resource, Snapshot } from '../../reconciler/core/resource.js';

export function snap(resources: Resource[], node = 'n1'): Snapshot {
  return { node, takenAt: '', source: 'test', resources: new Map(resources.map((r) => [r.address, r])) };
}
