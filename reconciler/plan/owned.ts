/**
 * Cluster ownership on a pair (DESIGN §3): which fields of a resource the cluster manager
 * (Pacemaker) decides. The drivers name their own (ALUA states, DRBD roles); `policy.ha.clusterOwned`
 * adds more. The planner never changes an owned field of an existing object.
 */
import type { SanformModel } from '../../schema/model.js';
import type { Driver } from '../core/driver.js';
import type { Resource } from '../core/resource.js';

/** Fields of a resource the cluster owns (`*` = all of them). */
export type OwnedFields = (r: Resource) => readonly string[];

/** Whether the file describes a pair whose roles a cluster manager decides. */
export function clusterManaged(model: SanformModel): boolean {
  return Object.keys(model.nodes ?? {}).length === 2 && model.policy?.ha?.manager !== 'none';
}

const addressMatches = (pattern: string, address: string): boolean =>
  pattern.endsWith('/*') ? address.startsWith(pattern.slice(0, -1)) : pattern === address;

/** The ownership function of a file, or undefined when sanform owns every field. */
export function ownedFields(model: SanformModel, drivers: readonly Driver[]): OwnedFields | undefined {
  if (!clusterManaged(model)) return undefined;
  const byName = new Map(drivers.map((d) => [d.name, d]));
  const rules = model.policy?.ha?.clusterOwned ?? [];
  return (r) => {
    const own = [...(byName.get(r.driver)?.clusterOwned?.(r) ?? [])];
    for (const rule of rules) if (addressMatches(rule.address, r.address)) own.push(...(rule.fields ?? ['*']));
    return own;
  };
}

/** Whether `field` (dotted) is covered by one of `owned` (itself, a parent path, or `*`). */
export function isOwned(owned: readonly string[], field: string): boolean {
  return owned.some((o) => o === '*' || o === field || field.startsWith(`${o}.`));
}
