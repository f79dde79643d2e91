/**
 * Is a saved plan still current? Re-observes the machine and compares the snapshot's hash with
 * the plan's `observedHash`, so `apply PLANFILE` can refuse a stale plan before it shows it.
 * apply re-checks under the lock all the same (pipeline.applyPlan); this is only the early word.
 */
import type { Plan } from './core/change.js';
import type { Driver } from './core/driver.js';
import type { Host } from './host/host.js';
import { PlanStaleError } from './apply/index.js';
import { observe, observedHash } from './snapshot/index.js';

/** Throws PLAN_STALE when the live state of `node` (default the plan's) moved since the plan. */
export async function assertPlanCurrent(o: { host: Host; drivers: readonly Driver[]; plan: Plan; node?: string }): Promise<void> {
  const now = await observe(o.host, o.drivers, { node: o.node ?? o.plan.node });
  const current = observedHash(now);
  if (current !== o.plan.observedHash) throw new PlanStaleError(o.plan.observedHash, current);
}
