/**
 * Dependencies between SCST resources, computed the same way for desired and observed resources
 * so that the planner orders creates and deletes alike (reference/scst-sysfs.md §8.2): device
 * before LUN, group before its LUNs, LUNs before initiators, everything of a target before its
 * enable, targets before the driver enable, targets before ALUA target-group membership.
 */
import type { Resource } from '../../reconciler/core/resource.js';
import { addr, parseAddr } from './address.js';
import type { AddrParts } from './address.js';
import type { InitiatorSpec, LunSpec, TgTargetSpec } from './kinds.js';

const TARGET_CHILDREN = new Set(['scst.lun', 'scst.group', 'scst.initiator', 'scst.chap-user', 'scst.allowed-portal']);

/** the address of the target a resource lives under, if any. */
const targetOf = (r: Resource, p: AddrParts): string | undefined =>
  p.drv && p.tgt && r.address.startsWith('scst/target/') ? addr.target(p.drv, p.tgt) : undefined;

/** sets `deps` on every resource in place (plus `extra` deps already present are kept). */
export function linkDeps(resources: Resource[]): void {
  const present = new Set<string>();
  for (const r of resources) present.add(r.address);
  const children = new Map<string, string[]>();
  const groupLuns = new Map<string, string[]>();
  const targetsByName = new Map<string, string>();
  const enabledByDriver = new Map<string, string[]>();
  const parts = resources.map((r) => parseAddr(r.address));
  for (let i = 0; i < resources.length; i++) {
    const r = resources[i];
    const p = parts[i];
    const t = TARGET_CHILDREN.has(r.kind) ? targetOf(r, p) : undefined;
    if (t) push(children, t, r.address);
    if (r.kind === 'scst.lun' && p.group !== undefined) push(groupLuns, addr.group(p.drv!, p.tgt!, p.group), r.address);
    if (r.kind === 'scst.target') targetsByName.set(p.tgt!, r.address);
    if (r.kind === 'scst.target-enabled') push(enabledByDriver, p.drv!, r.address);
  }
  const ix = { children, groupLuns, targetsByName, enabledByDriver };
  for (let i = 0; i < resources.length; i++) {
    const r = resources[i];
    r.deps = keptDeps(r, depsOf(r, parts[i], ix), present);
    // the driver is enabled after its targets (§8.2), but a target that failed must not keep
    // the driver, and with it every other target, off
    if (r.kind === 'scst.driver-enabled') {
      const targets = ix.enabledByDriver.get(parts[i].drv!)?.filter((d) => r.deps.includes(d));
      if (targets?.length) r.follows = targets;
    }
  }
}

/**
 * `deps` already on the resource plus `found`, sorted and without repeats: deps on other layers
 * (md, lvm, drbd...) are kept; SCST deps only when that object exists; never the resource itself.
 */
function keptDeps(r: Resource, found: readonly string[], present: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const list of [r.deps, found]) {
    for (const d of list) if (d !== r.address && (present.has(d) || !d.startsWith('scst/'))) out.push(d);
  }
  if (out.length < 2) return out;
  out.sort();
  let n = 1;
  for (let i = 1; i < out.length; i++) if (out[i] !== out[n - 1]) out[n++] = out[i];
  out.length = n;
  return out;
}

interface Index {
  children: Map<string, string[]>;
  groupLuns: Map<string, string[]>;
  targetsByName: Map<string, string>;
  enabledByDriver: Map<string, string[]>;
}

function depsOf(r: Resource, p: AddrParts, ix: Index): string[] {
  switch (r.kind) {
    case 'scst.device':
      return [addr.core()];
    case 'scst.driver-enabled':
      return [addr.driver(p.drv!), ...(ix.enabledByDriver.get(p.drv!) ?? [])];
    case 'scst.target':
    case 'scst.copy-manager-target':
      return [addr.driver(p.drv!)];
    case 'scst.target-enabled':
      return [addr.target(p.drv!, p.tgt!), ...(ix.children.get(addr.target(p.drv!, p.tgt!)) ?? [])];
    case 'scst.lun':
    case 'scst.copy-manager-lun': {
      const owner = p.group === undefined ? addr.target(p.drv!, p.tgt!) : addr.group(p.drv!, p.tgt!, p.group);
      return [addr.device((r.spec as unknown as LunSpec).device), owner];
    }
    case 'scst.group':
    case 'scst.allowed-portal':
      return [addr.target(p.drv!, p.tgt!)];
    case 'scst.initiator': {
      const g = addr.group(p.drv!, p.tgt!, (r.spec as unknown as InitiatorSpec).group);
      return [g, ...(ix.groupLuns.get(g) ?? [])];
    }
    case 'scst.chap-user':
      return p.tgt && r.address.startsWith('scst/target/') ? [addr.target(p.drv!, p.tgt)] : [addr.driver(p.drv!)];
    case 'scst.alua-device':
      return [addr.dg(p.dg!), addr.device(p.dev!)];
    case 'scst.alua-tg':
      return [addr.dg(p.dg!)];
    case 'scst.alua-tg-target': {
      const local = !(r.spec as unknown as TgTargetSpec).remote;
      const tgt = local ? ix.targetsByName.get(p.tgt!) : undefined;
      return [addr.tg(p.dg!, p.tg!), ...(tgt ? [tgt] : [])];
    }
    default:
      return [];
  }
}

function push(m: Map<string, string[]>, k: string, v: string): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}
