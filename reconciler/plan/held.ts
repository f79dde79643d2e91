import type { Change, Plan } from '../core/change.js';

/**
 * The cluster-owned differences of a plan as update changes, for drift reports only (never
 * applied): drift classifies them like any other field (a swapped ALUA state is `failover`).
 * Merged into the plan's own change for the same address when there is one.
 */
export function heldAsChanges(plan: Plan, changes: readonly Change[] = plan.changes): Change[] {
  const out = [...changes];
  const at = new Map(out.map((c, i) => [c.address, i]));
  for (const h of plan.held ?? []) {
    const f = { field: h.field, before: h.live, after: h.declared, inPlace: true };
    const i = at.get(h.address);
    if (i !== undefined) {
      out[i] = { ...out[i]!, fields: [...out[i]!.fields, f] };
      continue;
    }
    at.set(h.address, out.length);
    out.push({
      address: h.address, kind: h.kind, driver: h.driver, action: 'update', fields: [f], impact: [],
      reason: 'cluster-owned: left to the cluster manager', deps: [], stage: 'attributes', ops: [],
    });
  }
  return out;
}

/**
 * Adds fault drift entries to a drift list: a fault on an address that already differs (a role
 * the cluster moved) joins that entry as one more field, so neither hides the other.
 */
export function mergeFaults(changes: readonly Change[], faults: readonly Change[]): Change[] {
  const out = [...changes];
  for (const f of faults) {
    const i = out.findIndex((c) => c.address === f.address);
    if (i < 0) out.push(f);
    else out[i] = { ...out[i]!, before: out[i]!.before ?? f.before, after: out[i]!.after ?? f.after, fields: [...out[i]!.fields, ...f.fields] };
  }
  return out;
}
