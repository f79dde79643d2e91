import { isDeepStrictEqual } from 'node:util';
import type { Change } from '../core/change.js';
import type { DriftMode, Snapshot } from '../core/resource.js';
import { scstHints, type DriftHints } from './hints.js';
import { ignored, type IgnoreRule } from './ignore.js';
import { ABSENT, type DriftClass, type DriftItem } from './types.js';

/** Everything classification looks at; pure, no I/O. */
export interface ClassifyInput {
  /** the changes that would converge the live state (a plan of desired vs observed). */
  changes: readonly Change[];
  observed: Snapshot;
  /** this node's desired view. */
  desired: Snapshot;
  /** the desired views of the other nodes of a pair: a live value one of them expects is failover. */
  peers?: readonly Snapshot[];
  /** `policy.drift.mode`; default warn. An object's own mode (or its target's) overrides it. */
  policyMode?: DriftMode;
  hints?: DriftHints;
}

interface Verdict {
  class: DriftClass;
  why: string;
}

/** Dotted path lookup inside a spec. */
const at = (spec: Record<string, unknown> | undefined, field: string): unknown =>
  field.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), spec);

/** Why an object is missing from the live state. */
function missingVerdict(c: Change, ctx: Ctx, seen: Set<string>): Verdict {
  const memo = ctx.memo.get(c.address);
  if (memo) return memo;
  const { hints, observed } = ctx;
  const owner = hints.owner(c.address);
  let v: Verdict | undefined;
  if (hints.isHardware(c.address, c.after?.status) && owner && !observed.resources.has(owner)) {
    v = { class: 'hardware', why: `hardware port ${owner} is gone` };
  }
  const coll = hints.collection(c.address);
  if (!v && coll && !ctx.liveCollections.has(coll)) {
    v = { class: 'kernel', why: `every object under ${coll} vanished at once` };
  }
  if (!v) {
    // built on a layer with a hardware fault (an LV on a VG that lost a PV): hardware, not a re-create
    const faulty = (c.after?.deps ?? []).find((d) => statusFault(observed.resources.get(d)?.status));
    if (faulty) v = { class: 'hardware', why: `${faulty} has a hardware fault: ${statusFault(observed.resources.get(faulty)?.status)}` };
  }
  if (!v) {
    // what a faulty live object is built on went with the hardware (a bcache device's cache set
    // whose SSD was pulled): the fault explains the absence
    const user = [...ctx.desired.resources.values()].find((r) => r.deps.includes(c.address) && statusFault(observed.resources.get(r.address)?.status));
    if (user) v = { class: 'hardware', why: `${user.address}, built on it, has a hardware fault: ${statusFault(observed.resources.get(user.address)?.status)}` };
  }
  if (!v) {
    // a missing object whose owner or dependency is missing too inherits that one's verdict
    const parents = [...(owner && owner !== c.address ? [owner] : []), ...(c.after?.deps ?? [])];
    for (const p of parents) {
      const pc = ctx.creates.get(p);
      if (pc && !seen.has(p)) {
        seen.add(c.address);
        v = missingVerdict(pc, ctx, seen);
        break;
      }
    }
  }
  v ??= { class: 'operator', why: 'removed from the live system by hand' };
  ctx.memo.set(c.address, v);
  return v;
}

interface Ctx {
  hints: DriftHints;
  observed: Snapshot;
  desired: Snapshot;
  liveCollections: Set<string>;
  creates: Map<string, Change>;
  memo: Map<string, Verdict>;
}

/** `field` of each member of role set `set` in a snapshot, by address. */
function roleMembers(snap: Snapshot, hints: DriftHints, set: string, field: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const r of snap.resources.values()) if (hints.role(r.address, field)?.set === set) out.set(r.address, at(r.spec, field));
  return out;
}

const holders = (members: Map<string, unknown>, value: unknown): string[] => [...members].filter(([, v]) => isDeepStrictEqual(v, value)).map(([a]) => a);
const sortedValues = (members: Map<string, unknown>): string[] => [...members.values()].map((v) => JSON.stringify(v)).sort();

/**
 * A role moved by a failover: the value is a transition under way; or the serving role (ALUA
 * `active`) is now held only by members that should not hold it; or the members hold the
 * desired values, but on other members (the roles swapped).
 */
function roleVerdict(c: Change, field: string, found: unknown, input: ClassifyInput, hints: DriftHints): Verdict | undefined {
  const role = hints.role(c.address, field);
  if (!role) return undefined;
  if (role.transient.some((t) => isDeepStrictEqual(t, found))) {
    return { class: 'failover', why: `a role change is under way in ${role.set} (${String(found)})` };
  }
  const want = roleMembers(input.desired, hints, role.set, field);
  const live = roleMembers(input.observed, hints, role.set, field);
  const servingNow = holders(live, role.primary);
  const servingWanted = new Set(holders(want, role.primary));
  if (servingNow.length > 0 && servingWanted.size > 0 && servingNow.every((a) => !servingWanted.has(a))) {
    return { class: 'failover', why: `${String(role.primary)} moved in ${role.set}: now ${servingNow.join(', ')}` };
  }
  if (want.size > 1 && isDeepStrictEqual(sortedValues(want), sortedValues(live))) {
    return { class: 'failover', why: `the roles in ${role.set} swapped: the desired values are live on other members` };
  }
  return undefined;
}

/** The hardware fault a storage driver recorded in an observed status (reconciler/stack/fault.ts). */
const statusFault = (status: Record<string, unknown> | undefined): string | undefined =>
  typeof status?.fault === 'string' && status.fault ? status.fault : undefined;

/** A field of a faulty object: the fault itself, or a difference the fault explains (a bcache device's cache gone with its SSD). */
function fieldVerdict(c: Change, field: string, found: unknown, peers: readonly Snapshot[]): Verdict {
  const fault = statusFault(c.before?.status);
  if (fault) return { class: 'hardware', why: field === 'fault' ? `hardware fault: ${fault}` : `${c.address} has a hardware fault: ${fault}` };
  for (const p of peers) {
    const r = p.resources.get(c.address);
    if (r && isDeepStrictEqual(at(r.spec, field), found)) {
      return { class: 'failover', why: `the live value is what node ${p.node} expects (role change)` };
    }
  }
  return { class: 'operator', why: 'changed on the live system by hand' };
}

/** Classifies every drifted field of every change; objects in drift mode `off` are left out. */
export function classifyDrift(input: ClassifyInput): DriftItem[] {
  const hints = input.hints ?? scstHints;
  const liveCollections = new Set<string>();
  for (const a of input.observed.resources.keys()) {
    const coll = hints.collection(a);
    if (coll) liveCollections.add(coll);
  }
  const creates = new Map(input.changes.filter((c) => c.action === 'create').map((c) => [c.address, c]));
  const ctx: Ctx = { hints, observed: input.observed, desired: input.desired, liveCollections, creates, memo: new Map() };
  const items: DriftItem[] = [];
  for (const c of input.changes) {
    if (c.action === 'noop') continue;
    const owner = hints.owner(c.address);
    const mode =
      c.after?.meta?.drift ??
      input.desired.resources.get(c.address)?.meta?.drift ??
      (owner ? input.desired.resources.get(owner)?.meta?.drift : undefined) ??
      input.policyMode ??
      'warn';
    if (mode === 'off') continue;
    const base = { address: c.address, kind: c.kind, action: c.action, mode };
    if (c.action === 'create') {
      items.push({ ...base, expected: 'present', found: ABSENT, ...missingVerdict(c, ctx, new Set()) });
    } else if (c.action === 'delete') {
      items.push({ ...base, expected: ABSENT, found: 'present', class: 'operator', why: 'not in the desired state: added by hand' });
    } else {
      for (const f of c.fields) {
        const verdict = roleVerdict(c, f.field, f.before, input, hints) ?? fieldVerdict(c, f.field, f.before, input.peers ?? []);
        items.push({ ...base, field: f.field, expected: f.after, found: f.before, ...verdict });
      }
    }
  }
  return items;
}

/** Drops what `policy.drift.ignore` says to ignore: a whole address, or some of its fields. */
export function ignoreDrift(items: DriftItem[], rules: readonly IgnoreRule[] = []): DriftItem[] {
  return items.filter((i) => !ignored(rules, i.address, i.field));
}

/**
 * Items that watch may converge: mode `correct`, never an expected failover, and never a
 * hardware fault (a person replaces the disk; sanform does not re-create over it).
 */
export const correctable = (item: DriftItem): boolean => item.mode === 'correct' && item.class !== 'failover' && item.class !== 'hardware';

/** Count of drifted objects per class (for sanform_drift_objects{class}). */
export function countByClass(items: readonly DriftItem[]): Record<DriftClass, number> {
  const out: Record<DriftClass, Set<string>> = { operator: new Set(), kernel: new Set(), hardware: new Set(), failover: new Set() };
  for (const i of items) out[i.class].add(i.address);
  return { operator: out.operator.size, kernel: out.kernel.size, hardware: out.hardware.size, failover: out.failover.size };
}
