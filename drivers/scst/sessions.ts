/** Questions about the observed snapshot that classify() asks: who is logged in, what is exported. */
import type { Resource, Snapshot } from '../../reconciler/core/resource.js';
import { addr, parseAddr } from './address.js';
import type { LunSpec, TargetStatus } from './kinds.js';

/** initiators logged in to a target; `group` narrows to one LUN set (null: the default set). */
export function sessionsOf(observed: Snapshot, drv: string, tgt: string, group?: string | null): string[] {
  const t = observed.resources.get(addr.target(drv, tgt));
  const list = (t?.status as TargetStatus | undefined)?.sessions ?? [];
  const hit = list.filter((s) => group === undefined || (group === null ? s.group === undefined : s.group === group));
  return uniq(hit.map((s) => s.initiator));
}

/** sessions that see a LUN (the ones matched to its LUN set). */
export function sessionsOfLun(observed: Snapshot, lunAddress: string): string[] {
  const p = parseAddr(lunAddress);
  return sessionsOf(observed, p.drv!, p.tgt!, p.group ?? null);
}

/** per snapshot: device name -> its live LUNs (built once, on the first question). */
const lunIndex = new WeakMap<Snapshot, Map<string, Resource[]>>();

/** live LUNs (not copy-manager ones) that map a device. */
export function lunsOfDevice(observed: Snapshot, dev: string): Resource[] {
  let ix = lunIndex.get(observed);
  if (!ix) {
    ix = new Map();
    for (const r of observed.resources.values()) {
      if (r.kind !== 'scst.lun') continue;
      const d = (r.spec as unknown as LunSpec).device;
      const list = ix.get(d);
      if (list) list.push(r);
      else ix.set(d, [r]);
    }
    lunIndex.set(observed, ix);
  }
  return ix.get(dev) ?? [];
}

/** sessions of every target of a driver. */
export function sessionsOfDriver(observed: Snapshot, drv: string): string[] {
  const out: string[] = [];
  for (const r of observed.resources.values()) {
    if (r.kind !== 'scst.target' || !r.address.startsWith(`scst/target/${drv}/`)) continue;
    out.push(...((r.status as TargetStatus | undefined)?.sessions ?? []).map((s) => s.initiator));
  }
  return uniq(out);
}

export const uniq = (a: string[]): string[] => [...new Set(a)].sort();
