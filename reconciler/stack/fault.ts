/**
 * Hardware faults of the storage stack (a degraded array, an LV on a missing PV, a bcache whose
 * cache device went away). A driver marks the observed resource with `status.fault` (for
 * people: `degraded: /dev/sdc faulty`). sanform never "fixes" a fault by re-creating: a faulty
 * object is never replaced or deleted, nothing is created on top of it, and drift reports it as
 * class `hardware` (an alert), with no change in the plan.
 */
import type { Change } from '../core/change.js';
import type { Unavailable } from '../core/driver.js';
import type { Resource, Snapshot } from '../core/resource.js';

/** The fault a driver recorded on an observed resource, if any. */
export const faultOf = (r: Resource | undefined): string | undefined => {
  const f = (r?.status as { fault?: unknown } | undefined)?.fault;
  return typeof f === 'string' && f ? f : undefined;
};

/**
 * Whether a fault stops what is built on the object: yes unless the driver marked it
 * `status.faultBlocks: false` (a DRBD resource waiting for its peer or resyncing: reported as
 * drift, but its device is there and the state resolves on its own once the peer is back).
 */
export const faultBlocks = (r: Resource | undefined): boolean => (r?.status as { faultBlocks?: unknown } | undefined)?.faultBlocks !== false;

/** The field name a fault shows under in drift reports. */
export const FAULT_FIELD = 'fault';

const HINT = 'repair the hardware first (replace the failed disk, bring the device back); sanform does not re-create or remove a faulty layer';

/** Why a change must not run because of a fault: its own object, or one it is built on, is faulty. */
export function faultUnavailable(c: Change, observed: Snapshot): Unavailable | undefined {
  const own = faultOf(c.before);
  if (own && (c.action === 'replace' || c.action === 'delete')) {
    return { reason: `hardware fault on ${c.address}: ${own}`, hint: HINT };
  }
  if (c.action === 'create' || c.action === 'replace') {
    for (const d of c.after?.deps ?? []) {
      const dep = observed.resources.get(d);
      const f = faultOf(dep);
      if (f && faultBlocks(dep)) return { reason: `${d}, which ${c.address} is built on, has a hardware fault: ${f}`, hint: HINT };
    }
  }
  return undefined;
}

/**
 * Drift entries for faulty objects the file declares: one `update` per object with the field
 * `fault` (found: the fault, expected: absent). They are reported, never planned.
 */
export function faultChanges(observed: Snapshot, desired: Snapshot): Change[] {
  const out: Change[] = [];
  for (const r of observed.resources.values()) {
    const f = faultOf(r);
    const want = desired.resources.get(r.address);
    if (!f || !want) continue;
    out.push({
      address: r.address, kind: r.kind, driver: r.driver, action: 'update', before: r, after: want,
      fields: [{ field: FAULT_FIELD, before: f, inPlace: false }],
      impact: [], reason: `hardware fault: ${f}`, deps: [], stage: 'attributes', ops: [],
    });
  }
  return out.sort((a, b) => (a.address < b.address ? -1 : 1));
}
