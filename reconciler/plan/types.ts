import type { Approval } from '../../schema/model.js';
import type { ClusterNote } from '../core/change.js';
import type { Driver } from '../core/driver.js';
import type { Snapshot } from '../core/resource.js';
import { SanformError } from '../core/errors.js';
import type { OwnedFields } from './owned.js';

export type { Approval };

/** Everything the pure planner needs; nothing here is read from a machine or a clock. */
export interface PlanInput {
  desired: Snapshot;
  observed: Snapshot;
  drivers: readonly Driver[];
  /** kinds the file manages: prune only deletes live objects of these kinds. */
  managedKinds: readonly string[];
  /** delete (or converge) live objects of managed kinds that the file does not declare; default true. */
  prune?: boolean;
  /** `policy.approvals` of the desired-state file. */
  approvals?: readonly Approval[];
  /** addresses named with `--allow` (any action on them is approved). */
  allow?: readonly string[];
  /** every difference as a change, none blocked (no guards, nothing unavailable): a report of drift, never applied. */
  unguarded?: boolean;
  desiredRevision?: string;
  /** on a pair: the fields the cluster manager owns (never changed on a live object; see owned.ts). */
  owned?: OwnedFields;
  /** cluster nodes not serving normally, copied into the plan header. */
  cluster?: ClusterNote[];
}

/** The planner found a dependency cycle among the changes (a driver bug or a contradictory file). */
export class PlanCycleError extends SanformError<'PLAN_CYCLE', { addresses: string[] }> {
  constructor(addresses: string[]) {
    super('PLAN_CYCLE', `dependency cycle among changes: ${addresses.slice(0, 8).join(', ')}`, {
      data: { addresses },
      hint: 'check the deps of these resources',
    });
  }
}

/** A resource names a driver that is not loaded. */
export class UnknownDriverError extends SanformError<'UNKNOWN_DRIVER', { address: string; driver: string }> {
  constructor(address: string, driver: string) {
    super('UNKNOWN_DRIVER', `${address}: driver '${driver}' is not loaded`, { data: { address, driver } });
  }
}

/** Looks a resource's driver up by name. */
export function driverIndex(drivers: readonly Driver[]): (address: string, name: string) => Driver {
  const byName = new Map(drivers.map((d) => [d.name, d]));
  return (address, name) => {
    const d = byName.get(name);
    if (!d) throw new UnknownDriverError(address, name);
    return d;
  };
}
