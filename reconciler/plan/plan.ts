import type { Change, HeldField, ImpactClass, Plan, PlanSummary } from '../core/change.js';
import type { Unavailable } from '../core/driver.js';
import type { Snapshot } from '../core/resource.js';
import { observedHash } from '../snapshot/canonical.js';
import { applyCascades } from './cascade.js';
import { diffSnapshots, type DraftChange } from './diff.js';
import { applyGuards } from './guards.js';
import { linkIdentityMoves } from './identity.js';
import { orderChanges } from './order.js';
import { driverIndex, type PlanInput } from './types.js';
import { faultUnavailable } from '../stack/fault.js';
import { heldUnavailable } from '../stack/holders.js';
import { layerUnavailable } from '../stack/layer.js';
import { carryResizes } from '../stack/resize.js';

/** Attaches what the drivers say about a change: stage, impact and the exact ops. */
function complete(d: DraftChange, o: { driverOf: ReturnType<typeof driverIndex>; observed: Snapshot }): Change {
  const driver = o.driverOf(d.address, d.driver);
  // a fresh object owned here, filled in step by step (each driver call sees what is known so far)
  const c: Change = { ...d, deps: [], stage: 'attributes', ops: [], impact: [] };
  c.stage = driver.stage(c);
  c.impact = driver.classify(c, o.observed);
  c.ops = driver.ops(c, o.observed);
  return c;
}

/**
 * What cannot be made on this machine, by address: the driver's layer is missing, a hardware
 * fault (the object or what it is built on), holders still using what would be removed
 * (reconciler/stack), then the driver's own reasons.
 */
function unavailableOf(changes: readonly Change[], observed: Snapshot, driverOf: ReturnType<typeof driverIndex>): Map<string, Unavailable> {
  const out = new Map<string, Unavailable>();
  const byAddr = new Map(changes.map((c) => [c.address, c]));
  for (const c of changes) {
    const u =
      layerUnavailable(c, observed) ??
      faultUnavailable(c, observed) ??
      heldUnavailable(c, { observed, changes: byAddr, driverOf }) ??
      driverOf(c.address, c.driver).unavailable?.(c, observed);
    if (u) out.set(c.address, u);
  }
  return out;
}

/** Counts of a plan, for the summary line and the JSON. */
export function summarize(changes: readonly Change[], blocked: number): PlanSummary {
  const s: PlanSummary = { create: 0, update: 0, replace: 0, delete: 0, blocked, byImpact: {}, sessions: 0 };
  const sessions = new Set<string>();
  for (const c of changes) {
    if (c.action !== 'noop') s[c.action]++;
    const classes = new Set<ImpactClass>(c.impact.map((i) => i.class));
    for (const k of classes) s.byImpact[k] = (s.byImpact[k] ?? 0) + 1;
    for (const i of c.impact) for (const n of i.sessions ?? []) sessions.add(n);
  }
  s.sessions = sessions.size;
  return s;
}

/**
 * The pure planner: desired and observed snapshots in, an ordered, impact-classified and guarded
 * plan out. No I/O, no clock; the same inputs give a byte-identical plan.
 */
export function plan(input: PlanInput): Plan {
  const driverOf = driverIndex(input.drivers);
  const held: HeldField[] = [];
  const drafts = applyCascades({ drafts: diffSnapshots(input, held), observed: input.observed, driverOf });
  const completed = carryResizes(
    drafts.filter((d) => d.action !== 'noop').map((d) => complete(d, { driverOf, observed: input.observed })),
    { observed: input.observed, desired: input.desired, driverOf },
  );
  const linked = linkIdentityMoves(completed, { observed: input.observed, driverOf });
  const ordered = orderChanges(completed, input.observed);
  const { changes, blocked } = input.unguarded
    ? { changes: ordered, blocked: [] }
    : applyGuards(ordered, { approvals: input.approvals ?? [], allow: input.allow ?? [], linked, unavailable: unavailableOf(ordered, input.observed, driverOf) });
  return {
    formatVersion: 1,
    node: input.desired.node || input.observed.node,
    observedHash: observedHash(input.observed),
    ...(input.desiredRevision ? { desiredRevision: input.desiredRevision } : {}),
    changes,
    blocked,
    summary: summarize(changes, blocked.length),
    ...(held.length > 0 ? { held } : {}),
    ...(input.cluster?.length ? { cluster: input.cluster } : {}),
  };
}
