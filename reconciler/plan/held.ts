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
