/**
 * Whole-object read-back after apply (for drivers with `readBack`): one more observe, then every
 * applied change is checked against it. A created, updated or replaced object must be there and
 * `compare(live, asked)` must find nothing (cluster-held fields aside); a deleted one must be gone.
 * Mismatches name the fields only, never their values (a CHAP secret is compared by fingerprint
 * inside and reported as `secret`).
 */
import type { Change, Plan } from '../core/change.js';
import type { Driver } from '../core/driver.js';
import type { Resource } from '../core/resource.js';
import type { Host } from '../host/host.js';
import type { ChangeResult } from './walk.js';

/** The difference between what a change asked for and what is live, or undefined when none. */
function mismatch(driver: Driver, c: Change, live: Resource | undefined, held: ReadonlySet<string>): string | undefined {
  if (c.action === 'delete') return live ? 'still present' : undefined;
  if (!c.after) return undefined;
  if (!live) return 'absent';
  const fields = driver.compare(live, c.after).map((f) => f.field).filter((f) => !held.has(`${c.address}\u0000${f}`));
  return fields.length ? `${fields.join(', ')} differ from what was asked` : undefined;
}

/**
 * Re-checks the applied changes of read-back drivers against the live state; returns the results
 * with mismatched changes turned into failures (`READBACK_MISMATCH`, or `READBACK_FAILED` when
 * the observe itself fails).
 */
export async function readBack(o: { host: Host; plan: Plan; drivers: readonly Driver[]; results: ChangeResult[] }): Promise<ChangeResult[]> {
  const byAddr = new Map(o.plan.changes.map((c) => [c.address, c]));
  const held = new Set((o.plan.held ?? []).map((h) => `${h.address}\u0000${h.field}`));
  const out = [...o.results];
  for (const driver of o.drivers.filter((d) => d.readBack)) {
    const mine = out.map((r, i) => ({ r, i, c: byAddr.get(r.address) })).filter((x) => x.r.status === 'applied' && x.c?.driver === driver.name && x.c.action !== 'noop');
    if (mine.length === 0) continue;
    let live: Map<string, Resource>;
    try {
      live = new Map((await driver.observe(o.host)).map((r) => [r.address, r]));
    } catch (e) {
      for (const { r, i, c } of mine) {
        out[i] = { ...r, status: 'failed', error: { code: 'READBACK_FAILED', message: `${r.address}: could not read back after apply: ${(e as Error).message}`, op: c!.ops.length } };
      }
      continue;
    }
    for (const { r, i, c } of mine) {
      const why = mismatch(driver, c!, live.get(r.address), held);
      if (why) out[i] = { ...r, status: 'failed', error: { code: 'READBACK_MISMATCH', message: `${r.address}: every op succeeded, but reading the object back: ${why}`, op: c!.ops.length } };
    }
  }
  return out;
}
