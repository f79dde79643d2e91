import type { Host } from '../host/host.js';
import type { Change, ClusterNote, FieldChange, Impact, Op, Stage } from './change.js';
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
   * the block devices a resource brings into existence and the ones it is built on (the storage
   * stack, drivers/README.md). The engine turns `uses` into `deps` on the providing resource,
   * whatever driver provides it, in desired and observed snapshots alike, so creates run
   * bottom-up and deletes top-down across drivers; a device with holders is never removed.
   */
  blockDevices?(r: Resource): BlockDevices | undefined;
  /** whether a change makes the devices its resource provides larger (an LV or array grown). */
  grows?(change: Change): boolean;
  /**
   * what makes `consumer` (a live resource built on a device that grows in this plan) see the
   * new size: SCST writes `resync_size`, DRBD resizes. Absent: it needs nothing.
   */
  resized?(consumer: Resource, ctx: { lower: string; observed: Snapshot }): Resized | undefined;
  /**
   * `sanform import`: the part of the desired-state file that describes this driver's live
   * resources (e.g. `{ storage: { md: {...} } }`); the plan right after must be empty.
   * The engine merges every driver's part (reconciler/stack/import.ts).
   */
  importModel?(observed: readonly Resource[], ctx: { node: string }): Partial<SanformModel>;
  /**
   * fields of `r` that the cluster manager owns on a pair (SCST: an ALUA target group's state;
   * DRBD: the role); `*` for every field. The planner never changes them once the object exists.
   */
  clusterOwned?(r: Resource): readonly string[];
  /**
   * runs before the pure planner, with the machine at hand: where a real tool plans the driver's
   * own diff (DRBD: `drbdadm dump` and `drbdadm -d adjust`), its answers go into the desired
   * resources' `status`, and what it rejects comes back as located issues (the plan stops).
   */
  preplan?(input: PreplanInput): Promise<PreplanIssue[]>;
  /** cluster nodes in standby, maintenance or offline, read from the observed state (plan header). */
  clusterNotes?(observed: Snapshot): ClusterNote[];
  /**
   * a pair rollout's health gate after the standby node was applied (DRBD: connected and
   * UpToDate on both sides; SCST: the standby's targets enabled): what is wrong, or nothing.
   * `before` is the active node's state before the rollout (resources it creates are not gated).
   */
  gate?(input: GateInput): Promise<GateFinding[]>;
  /**
   * whole-object read-back: after apply, observe once more and compare every object a change
   * made or touched with what the plan asked (`compare` must find nothing), not only the value
   * or existence each op checks. An object that differs is reported as failed.
   */
  readBack?: boolean;
}

/** What a driver's pre-planning step sees: the loaded file, this node's desired resources, the live state. */
export interface PreplanInput {
  model: SanformModel;
  node: string;
  /** absent when planning offline (`--observed`): tools that need the machine are skipped. */
  host?: Host;
  /** this node's desired resources; a driver may add to their `status` what its tools said. */
  desired: Resource[];
  observed: Snapshot;
}

/** What a pair gate checks: one node's host, its desired view and the state seen before the rollout. */
export interface GateInput {
  host: Host;
  node: string;
  desired: Snapshot;
  before: Snapshot;
  /** how long to wait for a state that is on its way (a resync) before failing. */
  timeoutMs: number;
}

export interface GateFinding {
  /** the gate's name, as reported: `drbd`, `targets`. */
  gate: string;
  why: string;
}

/** A problem a driver's tool found in the file, at a YAML path. */
export interface PreplanIssue {
  path: string[];
  code: 'DRBD_CONFIG_INVALID';
  message: string;
  hint?: string;
}

/** The block devices of one resource (Driver.blockDevices). */
export interface BlockDevices {
  /** every path of the device(s) it provides: `/dev/md0`, `/dev/md/data`; `/dev/vg/lv`, `/dev/mapper/vg-lv`. */
  provides?: readonly string[];
  /** the device paths it opens or is built on (members, PVs, a backing store, a filename). */
  uses?: readonly string[];
  /** its kernel name under /sys/block (`md0`, `dm-3`, `bcache0`), when live: how holders are matched. */
  kernelName?: string;
}

/** How a consumer picks up a grown device below it (Driver.resized). */
export interface Resized {
  /** the field shown in the plan (`resync_size`), with sizes in bytes when known. */
  field: FieldChange;
  ops: Op[];
  impact: Impact[];
  /** true when the consumer's own device grows too (the growth goes on up the stack). */
  grows?: boolean;
}

/** Why a change cannot be made on this machine, and what to do about it. */
export interface Unavailable {
  reason: string;
  hint: string;
}
