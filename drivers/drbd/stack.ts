/**
 * DRBD's place in the storage stack (drivers/README.md): a resource provides /dev/drbdN and uses
 * its lower disks; a lower disk that grows is carried up with `drbdadm resize`, and the growth
 * goes on to what is built on /dev/drbdN (SCST's resync_size).
 */
import type { Change } from '../../reconciler/core/change.js';
import type { BlockDevices, Resized } from '../../reconciler/core/driver.js';
import type { Resource, Snapshot } from '../../reconciler/core/resource.js';
import { KIND, resourceName } from './address.js';

/** Devices and lower disks, kept in `status` by desired (from the file) and observe (from the kernel). */
export interface StackStatus {
  drbdDevices?: string[];
  lowerDisks?: string[];
}

export function blockDevices(r: Resource): BlockDevices | undefined {
  if (r.kind !== KIND) return undefined;
  const s = (r.status ?? {}) as StackStatus;
  const first = s.drbdDevices?.[0];
  return { provides: s.drbdDevices ?? [], uses: s.lowerDisks ?? [], ...(first ? { kernelName: first.slice('/dev/'.length) } : {}) };
}

/** A resource whose lower disk grew outside the plan (preplan found it) grows itself. */
export const grows = (c: Change): boolean => c.kind === KIND && c.fields.some((f) => /^volumes\.\d+\.size$/.test(f.field));

export function resized(consumer: Resource, ctx: { lower: string; observed: Snapshot }): Resized | undefined {
  if (consumer.kind !== KIND) return undefined;
  const name = resourceName(consumer.address);
  return {
    field: { field: 'size', before: 'the size of its old lower device', after: 'the size of its lower device', inPlace: true },
    ops: [{ type: 'exec', argv: ['drbdadm', 'resize', name] }],
    impact: [{ class: 'benign', detail: `drbdadm resize ${name}: DRBD takes the grown ${ctx.lower} (both nodes must have grown before the resize succeeds)` }],
    grows: true,
  };
}
