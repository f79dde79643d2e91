/**
 * The core model (DESIGN §3). Desired and observed resources have the same type, so diffing is a
 * function of (Resource, Resource).
 */

/**
 * A stable, readable identity: `scst/device/vm_store`, `scst/target/iscsi/<iqn>/group/esx/lun/1`.
 * Segments are joined by `/`; a segment that itself contains `/` is not allowed (SCST forbids it in
 * every name sanform manages).
 */
export type Address = string;

export type DriftMode = 'off' | 'warn' | 'correct';

export interface Resource<S extends object = Record<string, unknown>, T extends object = Record<string, unknown>> {
  address: Address;
  /** e.g. `scst.device`, `scst.lun`, `scst.target`; declared in the driver's `kinds`. */
  kind: string;
  /** driver name, e.g. `scst`. */
  driver: string;
  /** fields the YAML can set, in canonical form (numbers as numbers, booleans as booleans). */
  spec: S;
  /** observed-only facts (sessions, sizes, hardware); never compared for drift. */
  status?: T;
  /** addresses this resource needs (a LUN needs its device and its group). */
  deps: Address[];
  /**
   * of `deps`, those it only has to come after, not to succeed (SCST's iSCSI driver is enabled
   * after its targets, but one target that failed must not keep every other one unreachable).
   */
  follows?: Address[];
  /** desired-side metadata: where the object was declared (for error messages) and its drift mode. */
  meta?: { source?: SourceRef; drift?: DriftMode; managed?: 'owned' | 'adopted' };
}

/** Where in the desired-state files an object was declared. */
export interface SourceRef {
  file: string;
  line: number;
  col: number;
  /** YAML path, e.g. `scst.devices.vm_store`. */
  path: string;
}

/** One pass of observing (or expanding the YAML): a map keyed by address, plus provenance. */
export interface Snapshot {
  node: string;
  /** ISO time; not part of the hash. */
  takenAt: string;
  /** `host:local`, `host:sim:/dir`, `desired:<file>`, `file:<snapshot.json>`, `git:<node>`. */
  source: string;
  resources: Map<Address, Resource>;
  /** kinds the observer covered; prune only considers kinds the file manages. */
  kinds?: string[];
  /**
   * observed snapshots: sanform's inventory on that machine when it was observed, the addresses it
   * created or adopted (reconciler/inventory.ts); prune deletes only these unless `policy.prune:
   * all`. Absent: no inventory known (nothing is pruned). Not part of `observedHash`.
   */
  inventory?: readonly string[];
}
