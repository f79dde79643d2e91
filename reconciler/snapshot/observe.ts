import type { Driver, SecretResolver } from '../core/driver.js';
import type { Host } from '../host/host.js';
import type { Resource, Snapshot } from '../core/resource.js';
import type { SanformModel } from '../../schema/model.js';
import { SanformError } from '../core/errors.js';
import { observedHash } from './canonical.js';
import { linkBlockDevices } from '../stack/devices.js';
import { attachHolders } from '../stack/holders-read.js';
import { driverIndex } from '../plan/types.js';

/** Two resources (from one driver or two) claim the same address. */
export class DuplicateAddressError extends SanformError<'DUPLICATE_ADDRESS', { address: string; drivers: string[] }> {
  constructor(address: string, drivers: string[]) {
    super('DUPLICATE_ADDRESS', `address ${address} is produced twice (drivers: ${drivers.join(', ')})`, {
      data: { address, drivers },
      hint: 'a driver bug: every address must be produced by exactly one resource',
    });
  }
}

function collect(lists: Resource[][]): Map<string, Resource> {
  const out = new Map<string, Resource>();
  for (const list of lists) {
    for (const r of list) {
      const prev = out.get(r.address);
      if (prev) throw new DuplicateAddressError(r.address, [prev.driver, r.driver]);
      out.set(r.address, r);
    }
  }
  return out;
}

const allKinds = (drivers: readonly Driver[]): string[] => [...new Set(drivers.flatMap((d) => [...d.kinds]))].sort();

/**
 * One observing pass: every driver reads the live state once (drivers run concurrently; each
 * one reads its own subtree). `now` is injectable so tests get stable `takenAt` values.
 */
export async function observe(
  host: Host,
  drivers: readonly Driver[],
  opts: { node: string; now?: () => Date },
): Promise<Snapshot> {
  return startObserve(host, drivers, opts).snapshot(opts.node);
}

/** An observing pass under way: its reads were started; `snapshot` waits for them. */
export interface ObservePass {
  /** the snapshot of the pass, stamped with the node it was taken as. */
  snapshot(node: string): Promise<Snapshot>;
}

/**
 * Starts the drivers' reads now and returns without waiting: a caller that has other work before
 * it needs the snapshot (parsing the desired state) does it while the walk runs on the thread
 * pool. The node is only known after that work, so it is given when the snapshot is taken. A
 * pass whose snapshot is never asked for fails silently (its error is the caller's to ignore).
 */
export function startObserve(host: Host, drivers: readonly Driver[], opts: { now?: () => Date } = {}): ObservePass {
  const reads = Promise.all(drivers.map((d) => d.observe(host)));
  reads.catch(() => undefined); // handled where the snapshot is taken; never an unhandled rejection
  return {
    async snapshot(node: string): Promise<Snapshot> {
      const resources = collect(await reads);
      const driverOf = driverIndex(drivers);
      linkBlockDevices(resources, driverOf);
      await attachHolders(host, resources, driverOf);
      const snap: Snapshot = {
        node,
        takenAt: (opts.now ?? (() => new Date()))().toISOString(),
        source: `host:${host.id}`,
        resources,
        kinds: allKinds(drivers),
      };
      observedHash(snap); // computed once here, as part of taking the snapshot (memoized)
      return snap;
    },
  };
}

/** Expands the desired-state model into one snapshot for a node (pure). */
export function expandDesired(
  model: SanformModel,
  drivers: readonly Driver[],
  ctx: { node: string; secrets: SecretResolver; source?: string },
): Snapshot {
  const lists = drivers.map((d) => d.desired(model, { node: ctx.node, secrets: ctx.secrets }));
  const resources = collect(lists);
  linkBlockDevices(resources, driverIndex(drivers));
  return {
    node: ctx.node,
    takenAt: '',
    source: ctx.source ?? 'desired',
    resources,
    kinds: [...new Set(drivers.flatMap((d) => d.managedKinds(model)))].sort(),
  };
}
