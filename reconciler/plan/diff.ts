import type { Action, Change, FieldChange, HeldField } from '../core/change.js';
import type { Driver } from '../core/driver.js';
import type { Resource } from '../core/resource.js';
import type { PlanInput } from './types.js';
import { driverIndex } from './types.js';
import { isOwned } from './owned.js';

/** A change before ordering, impact and ops are attached. */
export type DraftChange = Omit<Change, 'deps' | 'stage' | 'ops' | 'impact'>;

function draft(o: { before?: Resource; after?: Resource; action: Action; fields: FieldChange[]; reason: string }): DraftChange {
  const r = (o.after ?? o.before)!;
  return { address: r.address, kind: r.kind, driver: r.driver, action: o.action, before: o.before, after: o.after, fields: o.fields, reason: o.reason };
}

/**
 * create/update/replace/noop for a live object that should look like `after`. Fields in `owned`
 * (the cluster's, on a pair) are never changed: they go to `held` instead.
 */
export function compareChange(driver: Driver, before: Resource, after: Resource, o: { owned?: readonly string[]; held?: HeldField[] } = {}): DraftChange {
  let found = driver.compare(before, after);
  if (o.owned?.length) {
    const keep: FieldChange[] = [];
    for (const f of found) {
      if (!isOwned(o.owned, f.field)) keep.push(f);
      else o.held?.push({ address: after.address, kind: after.kind, driver: after.driver, field: f.field, live: f.before, declared: f.after });
    }
    found = keep;
  }
  if (found.length === 0) return draft({ before, after, action: 'noop', fields: [], reason: 'matches' });
  const fields = [...found].sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
  const fixed = fields.filter((f) => !f.inPlace).map((f) => f.field);
  if (fixed.length > 0) {
    return draft({ before, after, action: 'replace', fields, reason: `${fixed.join(', ')} cannot change in place` });
  }
  return draft({ before, after, action: 'update', fields, reason: `${fields.length} field(s) differ` });
}

/** Every field of a new resource, as the `fields` of a create. */
export function createFields(after: Resource): FieldChange[] {
  return Object.keys(after.spec)
    .sort()
    .map((field) => ({ field, after: (after.spec as Record<string, unknown>)[field], inPlace: true }));
}

/** What prune does with a live object the file does not declare. */
function pruneChange(input: PlanInput, driver: Driver, live: Resource): DraftChange | undefined {
  if (input.prune === false || !input.managedKinds.includes(live.kind)) return undefined;
  const verdict = driver.prune ? driver.prune(live) : 'delete';
  if (verdict === 'keep') return undefined;
  if (verdict === 'delete') {
    return draft({ before: live, action: 'delete', fields: [], reason: 'not in the desired state (prune)' });
  }
  const c = compareChange(driver, live, verdict);
  return { ...c, reason: c.action === 'noop' ? c.reason : `not declared: converged to its kept form (${c.reason})` };
}

/**
 * The raw difference of the two snapshots, one draft per address (noops included), in address
 * order. Prune, replace reasons and create fields are decided here; cascades come after.
 */
export function diffSnapshots(input: PlanInput, held: HeldField[] = []): DraftChange[] {
  const driverOf = driverIndex(input.drivers);
  const { desired, observed } = input;
  const out: DraftChange[] = [];
  const addresses = [...desired.resources.keys()];
  for (const a of observed.resources.keys()) if (!desired.resources.has(a)) addresses.push(a);
  addresses.sort();
  for (const address of addresses) {
    const want = desired.resources.get(address);
    const live = observed.resources.get(address);
    if (want && live) out.push(compareChange(driverOf(address, want.driver), live, want, { owned: input.owned?.(want), held }));
    else if (want) out.push(draft({ after: want, action: 'create', fields: createFields(want), reason: 'not present' }));
    else if (live) {
      const c = pruneChange(input, driverOf(address, live.driver), live);
      if (c) out.push(c);
    }
  }
  return out;
}
