import type { Host } from '../host/host.js';
import type { Change, FieldChange, Impact, Op, Stage } from './change.js';
import type { Resource, Snapshot } from './resource.js';
import type { SanformModel } from '../../schema/model.js';
import type { SealedSecret } from '../secrets/sealed.js';

/** Resolves secret references to fingerprints at plan time and to values at apply time. */
export interface SecretResolver {
  fingerprint(name: string): string;
  /** the value, sealed: it prints as `<secret NAME>`; only the op runner reveals it. */
  value(name: string): Promise<SealedSecret>;
}

export interface DesiredContext {
  node: string;
  secrets: SecretResolver;
}

/** Who an object is to the outside world, apart from its address (see `Driver.identityKey`). */
export interface IdentityKey {
  /** equal keys (within one driver) name the same object: for an SCST LUN, its LUN set and device. */
  key: string;
  /** the object, for people: `device vm2 in group backup`. */
  object: string;
  /** the identity its address gives it, for people: `LUN 3`. */
  identity: string;
}

/**
 * The contract of a driver plugin (DESIGN §5); each driver's descriptor is checked with
 * `satisfies Driver`. All kernel contact goes through the Host passed in.
 */
export interface Driver {
  name: string;
  kinds: readonly string[];
  /** read the live state in one pass. */
  observe(host: Host): Promise<Resource[]>;
  /** expand the model into resources for one node, with dependencies. */
  desired(model: SanformModel, ctx: DesiredContext): Resource[];
  /** kinds the file manages (prune covers only these). */
  managedKinds(model: SanformModel): string[];
  /** default-aware field comparison of two resources with the same address. */
  compare(before: Resource, after: Resource): FieldChange[];
  /** impact classes of a change, given the observed state (sessions). */
  classify(change: Change, observed: Snapshot): Impact[];
  /** stage used to break ties in ordering. */
  stage(change: Change): Stage;
  /** exact kernel operations for a change; printable. */
  ops(change: Change, observed: Snapshot): Op[];
  /**
   * what to do with a live object of a managed kind that the file does not declare: delete it
   * (default), keep it, or converge it to the returned resource (e.g. a hardware target: its
   * `enabled` resource with `enabled: false`; hardware is disabled, never deleted).
   */
  prune?(observed: Resource): 'delete' | 'keep' | Resource;
  /**
   * whether removing `removed` from the kernel also removes `other` (SCST: del_device removes the
   * device's LUNs everywhere; del_target removes its LUNs, groups and ALUA memberships). The
   * planner then re-creates `other` if it is desired, and never deletes it separately.
   */
  cascades?(removed: Resource, other: Resource): boolean;
  /**
   * who a resource is to the outside world besides its address (an SCST LUN: the device it maps
   * in its LUN set). When one plan takes a key off some addresses and puts it on others (a LUN
   * renumbered), the planner marks those changes as one identity change and guards them together.
   */
  identityKey?(r: Resource): IdentityKey | undefined;
  /**
   * why `change` cannot be made on this machine at all (SCST: a hardware target whose port is
   * not there), with how to fix it. Such a change and everything waiting for it are blocked, and
   * no approval unblocks them: the file or the machine has to change.
   */
  unavailable?(change: Change, observed: Snapshot): Unavailable | undefined;
  /**
   * fields of `r` that the cluster manager owns on a pair (SCST: an ALUA target group's state;
   * DRBD: the role); `*` for every field. The planner never changes them once the object exists.
   */
  clusterOwned?(r: Resource): readonly string[];
}

/** Why a change cannot be made on this machine, and what to do about it. */
export interface Unavailable {
  reason: string;
  hint: string;
}
