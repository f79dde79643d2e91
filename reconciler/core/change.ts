import type { SnapshotSetSpec } from '../../schema/model.js';
import type { Address, Resource } from './resource.js';

export type Action = 'create' | 'update' | 'replace' | 'delete' | 'noop';

export type ImpactClass = 'data-loss' | 'io-disruptive' | 'identity' | 'session' | 'benign';

export interface Impact {
  class: ImpactClass;
  /** for people: "removes LUN 3 from group esx". */
  detail: string;
  /** initiators whose live sessions are affected, by name. */
  sessions?: string[];
  /**
   * this impact alone needs an approval naming the address, sessions or not (deleting an
   * exported device or a LUN: an initiator may be logged out only for a reboot).
   */
  needsApproval?: boolean;
}

/** A difference in one field; `inPlace` false means no in-place kernel operation exists. */
export interface FieldChange {
  /** dotted path inside spec, e.g. `attributes.prod_id` or `readOnly`. */
  field: string;
  before?: unknown;
  after?: unknown;
  inPlace: boolean;
}

/** Fixed stages break ties in the dependency order (DESIGN §3). */
export type Stage =
  | 'teardown-bindings'
  | 'teardown-objects'
  | 'create-objects'
  | 'attributes'
  | 'bindings'
  | 'enable';

/**
 * One printable kernel operation. Secrets never appear in an op: a value may hold the token
 * `{{secret:NAME}}`, which apply resolves at write time and rendering shows as a fingerprint.
 */
export type Op =
  | { type: 'mgmt'; path: string; command: string; verify?: Verify }
  | { type: 'write'; path: string; value: string; expect?: string; verify?: Verify }
  /** `runs`: what the tool will run, as the tool itself printed it in a dry run (display only). */
  | { type: 'exec'; argv: string[]; input?: string; runs?: string[] }
  | { type: 'file'; path: string; content: string };

/** What to read back after an op to prove it took effect. */
export type Verify =
  | { path: string; exists: boolean }
  | { path: string; value: string };

export interface Change {
  address: Address;
  kind: string;
  driver: string;
  action: Action;
  before?: Resource;
  after?: Resource;
  fields: FieldChange[];
  impact: Impact[];
  /** for people only; apply never branches on it. */
  reason: string;
  deps: Address[];
  /** of `deps`, the changes it only runs after: their failure or block does not stop it. */
  follows?: Address[];
  stage: Stage;
  ops: Op[];
}

export interface Blocked {
  address: Address;
  action: Action;
  /** why it needs approval (the impact classes). */
  because: Impact[];
  /** set when blocked only because a dependency is blocked. */
  blockedBy?: Address;
  /**
   * set when the change (or the one it waits for) cannot be made on this machine at all: why.
   * No approval unblocks it; `hint` says what to change instead.
   */
  unavailable?: string;
  /** how to allow it: `--allow ADDRESS` or a `policy.approvals` entry; for `unavailable`, how to fix it. */
  hint: string;
  /** the fields the blocked change would set (for display; added by the engine). */
  fields?: FieldChange[];
}

export interface PlanSummary {
  create: number;
  update: number;
  replace: number;
  delete: number;
  blocked: number;
  byImpact: Partial<Record<ImpactClass, number>>;
  sessions: number;
}

/**
 * A field the cluster manager owns on a pair (DESIGN §3, Ownership) whose live value differs from
 * the file: observed and reported, never changed. Its declared value is used only at create.
 */
export interface HeldField {
  address: Address;
  kind: string;
  driver: string;
  field: string;
  live?: unknown;
  declared?: unknown;
}

/** A node of the pair's cluster that is not serving normally, for the plan header. */
export interface ClusterNote {
  node: string;
  state: 'standby' | 'maintenance' | 'offline';
}

export interface Plan {
  formatVersion: 1;
  node: string;
  /** sha256 of the canonical observed snapshot; apply of a saved plan refuses when it moved. */
  observedHash: string;
  /** revision of the desired state, when known (git commit or file hash). */
  desiredRevision?: string;
  changes: Change[];
  blocked: Blocked[];
  summary: PlanSummary;
  /** cluster-owned fields whose live value differs from the file; left alone (absent when none). */
  held?: HeldField[];
  /**
   * live objects of managed kinds the file does not list that sanform never created or adopted
   * (not in its inventory): reported, never deleted unless `policy.prune: all` (absent when none).
   */
  unmanaged?: { address: Address; kind: string }[];
  /** nodes of the cluster in standby, maintenance or offline (absent when none or no cluster). */
  cluster?: ClusterNote[];
  /**
   * what the snapshot sets of `storage.snapshots` would take, send and delete now, planned
   * against the live listing of their snapshots (absent when the file declares none, or when
   * the plan was made against a recorded state).
   */
  snapshotSets?: SnapshotSetStep[];
}

/** One snapshot set's step in a plan (docs/snapshots.md, docs/plan-format.md). */
export interface SnapshotSetStep {
  set: string;
  /** the set as the file declares it: what `apply PLANFILE` carries out. */
  spec: SnapshotSetSpec;
  /** what a snapshot of it is: `crash-consistent`, or taken between the freeze/thaw hooks. */
  consistency: 'crash-consistent' | 'freeze/thaw hooks';
  /** the snapshot due now (none when its slot has one). */
  take?: string;
  /** snapshots here retention no longer keeps, newest first. */
  prune: string[];
  /** how many snapshots here stay, and the newest of them. */
  kept: number;
  newest?: string;
  /**
   * with `replicate:`: what is sent (in order, oldest first), `from` the newest snapshot both
   * sides hold (the first send's parent; absent: the first is sent in full), what the peer's
   * retention drops there, and why the peer could not be listed.
   */
  replicate?: { to: string; path: string; send: string[]; from?: string; drop: string[]; unreachable?: string };
  /** why this side could not be listed: nothing is done for the set. */
  error?: string;
}
