/**
 * The block-device graph across drivers (drivers/README.md, "The storage stack"): every resource
 * says which device paths it provides and which it uses (`Driver.blockDevices`); a use of a path
 * some resource provides becomes a dependency on that resource, whichever driver it belongs to.
 * Run on desired and observed snapshots alike, so creates go bottom-up and deletes top-down.
 */
import type { BlockDevices, Driver } from '../core/driver.js';
import type { Address, Resource, Snapshot } from '../core/resource.js';

export type DriverOf = (address: string, driver: string) => Driver;

const NONE: BlockDevices = {};

/** A resource's block devices, or none when its driver declares none. */
export function devicesOf(r: Resource, driverOf: DriverOf): BlockDevices {
  return driverOf(r.address, r.driver).blockDevices?.(r) ?? NONE;
}

/** Device path -> address of the resource providing it. */
export function providerIndex(resources: Iterable<Resource>, driverOf: DriverOf): Map<string, Address> {
  const out = new Map<string, Address>();
  for (const r of resources) for (const p of devicesOf(r, driverOf).provides ?? []) out.set(p, r.address);
  return out;
}

/** Kernel block device name (`md0`, `dm-3`) -> address of the resource behind it. */
export function kernelIndex(resources: Iterable<Resource>, driverOf: DriverOf): Map<string, Address> {
  const out = new Map<string, Address>();
  for (const r of resources) {
    const k = devicesOf(r, driverOf).kernelName;
    if (k) out.set(k, r.address);
  }
  return out;
}

/**
 * Adds to every resource's `deps` the providers of the devices it uses (sorted, no repeats).
 * Mutates the resources: call it while building a snapshot, before it is hashed.
 */
export function linkBlockDevices(resources: Map<Address, Resource>, driverOf: DriverOf): void {
  const providers = providerIndex(resources.values(), driverOf);
  if (providers.size === 0) return;
  for (const r of resources.values()) {
    const uses = devicesOf(r, driverOf).uses ?? [];
    const add = uses.map((p) => providers.get(p)).filter((a): a is string => a !== undefined && a !== r.address && !r.deps.includes(a));
    if (add.length > 0) r.deps = [...new Set([...r.deps, ...add])].sort();
  }
}

/** The addresses of the resources of `snap` that use one of `paths`. */
export function usersOf(snap: Snapshot, paths: ReadonlySet<string>, driverOf: DriverOf): Resource[] {
  if (paths.size === 0) return [];
  const out: Resource[] = [];
  for (const r of snap.resources.values()) if ((devicesOf(r, driverOf).uses ?? []).some((p) => paths.has(p))) out.push(r);
  return out;
}
