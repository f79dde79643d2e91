/**
 * A layer that still has holders is never removed (DESIGN §5): before a delete (or a re-create)
 * of a resource that provides block devices, who still uses them? Either a live resource that
 * stays and keeps using one of its paths (an SCST device whose filename is /dev/md0), or a kernel
 * holder under /sys/block/X/holders (`status.holders`) that is not itself removed in this plan.
 */
import type { Change } from '../core/change.js';
import type { Unavailable } from '../core/driver.js';
import type { Snapshot } from '../core/resource.js';
import { devicesOf, kernelIndex, usersOf, type DriverOf } from './devices.js';

export interface HolderContext {
  observed: Snapshot;
  /** every change of the plan, by address. */
  changes: ReadonlyMap<string, Change>;
  driverOf: DriverOf;
}

/** Whether the change at `address` takes that object off the devices `paths`. */
function letsGo(address: string, paths: ReadonlySet<string>, ctx: HolderContext): boolean {
  const c = ctx.changes.get(address);
  if (!c) return false;
  if (c.action === 'delete') return true;
  if (c.action === 'create' || c.action === 'noop' || !c.after) return false;
  return !(devicesOf(c.after, ctx.driverOf).uses ?? []).some((p) => paths.has(p));
}

/** Who holds what `c` removes, for people: `scst/device/vm (uses /dev/md0)`, `dm-3 (kernel holder of md0)`. */
export function holdersOf(c: Change, ctx: HolderContext): string[] {
  if ((c.action !== 'delete' && c.action !== 'replace') || !c.before) return [];
  const mine = devicesOf(c.before, ctx.driverOf);
  const paths = new Set(mine.provides ?? []);
  const out: string[] = [];
  for (const u of usersOf(ctx.observed, paths, ctx.driverOf)) {
    if (u.address === c.address || letsGo(u.address, paths, ctx)) continue;
    const used = (devicesOf(u, ctx.driverOf).uses ?? []).filter((p) => paths.has(p));
    out.push(`${u.address} (uses ${used.join(', ')})`);
  }
  const kernel = (c.before.status as { holders?: unknown } | undefined)?.holders;
  if (Array.isArray(kernel) && kernel.length > 0) {
    const byKernel = kernelIndex(ctx.observed.resources.values(), ctx.driverOf);
    for (const h of kernel as string[]) {
      const owner = byKernel.get(h);
      if (owner && ctx.changes.get(owner)?.action === 'delete') continue;
      if (owner && out.some((o) => o.startsWith(`${owner} `))) continue;
      out.push(owner ? `${owner} (${h}, a kernel holder of ${mine.kernelName ?? c.address})` : `${h} (a kernel holder of ${mine.kernelName ?? c.address}, not managed by sanform)`);
    }
  }
  return out;
}

/** A delete or re-create blocked by holders, as the planner's Unavailable. */
export function heldUnavailable(c: Change, ctx: HolderContext): Unavailable | undefined {
  const held = holdersOf(c, ctx);
  if (held.length === 0) return undefined;
  return {
    reason: `${c.address} still has holders: ${held.join('; ')}`,
    hint: 'remove or repoint what holds it first (or keep it in the file); a layer with holders is never removed',
  };
}
