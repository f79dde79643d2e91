/**
 * Growth carried up the stack: when a change makes a device larger (`Driver.grows`: an LV
 * extended, an array grown), every live resource built on that device is told in the same plan
 * (`Driver.resized`: SCST writes the device's `resync_size`, naming the sessions that see the
 * new capacity). A consumer whose own device grows too passes it on upwards.
 */
import type { Change } from '../core/change.js';
import type { Resource, Snapshot } from '../core/resource.js';
import { devicesOf, usersOf, type DriverOf } from './devices.js';

export interface ResizeContext {
  observed: Snapshot;
  desired: Snapshot;
  driverOf: DriverOf;
}

/** Consumers already changing in a way that needs no resize (they are made or removed anyway). */
const SKIP = new Set(['create', 'delete', 'replace']);

/** The provided paths of a change's object (desired form first: where the growth will be). */
function pathsOf(c: Change, driverOf: DriverOf): Set<string> {
  const r = (c.after ?? c.before)!;
  return new Set([...(devicesOf(r, driverOf).provides ?? []), ...(c.before ? (devicesOf(c.before, driverOf).provides ?? []) : [])]);
}

/**
 * Returns the changes with resize steps added: consumers' existing updates get the step appended,
 * consumers without a change get a new `update`. Pure; the input changes are the planner's own.
 */
export function carryResizes(changes: Change[], ctx: ResizeContext): Change[] {
  const byAddr = new Map(changes.map((c) => [c.address, c]));
  const queue = changes.filter((c) => c.action === 'update' && ctx.driverOf(c.address, c.driver).grows?.(c));
  const done = new Set<string>();
  const out = [...changes];
  while (queue.length > 0) {
    const lower = queue.shift()!;
    for (const consumer of usersOf(ctx.observed, pathsOf(lower, ctx.driverOf), ctx.driverOf)) {
      if (done.has(consumer.address) || consumer.address === lower.address) continue;
      const existing = byAddr.get(consumer.address);
      if (existing && SKIP.has(existing.action)) continue;
      const carried = ctx.driverOf(consumer.address, consumer.driver).resized?.(consumer, { lower: lower.address, observed: ctx.observed });
      if (!carried) continue;
      done.add(consumer.address);
      const c = existing ?? newUpdate(consumer, ctx.desired.resources.get(consumer.address), lower.address);
      c.fields = [...c.fields, carried.field];
      c.ops = [...c.ops, ...carried.ops];
      c.impact = [...c.impact, ...carried.impact];
      if (!existing) {
        byAddr.set(c.address, c);
        out.push(c);
      }
      if (carried.grows) queue.push(c);
    }
  }
  return out;
}

function newUpdate(live: Resource, want: Resource | undefined, lower: string): Change {
  return {
    address: live.address, kind: live.kind, driver: live.driver, action: 'update', before: live, after: want ?? live,
    fields: [], impact: [], reason: `${lower} grows: the new size is carried up`, deps: [], stage: 'attributes', ops: [],
  };
}
