/**
 * The SCST driver's place in the storage stack (drivers/README.md): a vdisk device uses the block
 * device or file named by its `filename` (so it waits for the layer that provides it and holds
 * it against removal), and picks up a grown backing store with `resync_size`.
 */
import type { BlockDevices, Resized } from '../../reconciler/core/driver.js';
import type { Resource, Snapshot } from '../../reconciler/core/resource.js';
import { parseAddr, sysPath } from './address.js';
import { lunsOfDevice, sessionsOfLun, uniq } from './sessions.js';

const HANDLERS_WITH_STORE = new Set(['vdisk_blockio', 'vdisk_fileio']);

const filenameOf = (r: Resource): string | undefined => {
  const f = (r.spec as { attributes?: Record<string, unknown> }).attributes?.filename;
  return typeof f === 'string' && f.startsWith('/') ? f : undefined;
};

export function blockDevices(r: Resource): BlockDevices | undefined {
  if (r.kind !== 'scst.device') return undefined;
  const f = filenameOf(r);
  return f ? { uses: [f] } : undefined;
}

/** `echo 1 > devices/DEV/resync_size`: the device re-reads its backing store's size. */
export function resized(consumer: Resource, ctx: { lower: string; observed: Snapshot }): Resized | undefined {
  const handler = (consumer.spec as { handler?: string }).handler;
  if (consumer.kind !== 'scst.device' || !HANDLERS_WITH_STORE.has(handler ?? '')) return undefined;
  const dev = parseAddr(consumer.address).dev!;
  const sessions = uniq(lunsOfDevice(ctx.observed, dev).flatMap((l) => sessionsOfLun(ctx.observed, l.address)));
  const size = (consumer.status as { size?: number } | undefined)?.size;
  return {
    field: { field: 'resync_size', before: size, inPlace: true },
    ops: [{ type: 'write', path: `${sysPath.device(dev)}/resync_size`, value: '1' }],
    impact: [{
      class: 'benign',
      detail: `${dev} picks up the larger ${filenameOf(consumer) ?? 'backing store'} (${ctx.lower} grows)${sessions.length ? '; the initiators logged in see a capacity change' : ''}`,
      ...(sessions.length ? { sessions } : {}),
    }],
  };
}
