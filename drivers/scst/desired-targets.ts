/**
 * Desired targets: drivers (attributes, enable, discovery CHAP), targets, LUN sets, groups,
 * initiators, login CHAP users and allowed portals, for the targets of this node.
 */
import type { DesiredContext } from '../../reconciler/core/driver.js';
import type { ChapUser, IscsiAuth, LunSpec, SanformModel, TargetSpec } from '../../schema/model.js';
import { addr } from './address.js';
import { DRIVER_ATTRS, GROUP_ATTRS, TARGET_ATTRS } from './attrs.js';
import type { Emit } from './expand.js';
import { inScope, typedAttrs } from './expand.js';
import { TARGET_FIELDS } from './fields.js';
import { canonical } from './values.js';

const CM = 'copy_manager';
/** drivers whose targets have no `enabled` file (§5.6). */
const NO_ENABLE = new Set(['scst_local', CM]);

export function desiredTargets(model: SanformModel, ctx: DesiredContext, emit: Emit): void {
  const scst = model.scst ?? {};
  const drivers = new Set([...Object.keys(scst.drivers ?? {}), ...Object.keys(scst.targets ?? {})]);
  const readOnlyDevs = readOnlyDevices(model);
  for (const drv of [...drivers].sort()) {
    const d = scst.drivers?.[drv as keyof typeof scst.drivers] ?? {};
    const kind = drv === CM ? 'scst.copy-manager-driver' : 'scst.driver';
    emit({ address: addr.driver(drv), kind, spec: { attributes: typedAttrs({}, [], d.attributes, DRIVER_ATTRS) } });
    if (drv === 'iscsi') emit({ address: addr.driverEnabled(drv), kind: 'scst.driver-enabled', spec: { enabled: d.enabled ?? true } });
    emitUsers(d.auth, ctx, emit, (dir, user) => addr.driverUser(drv, dir, user));
    for (const [tgt, raw] of Object.entries(scst.targets?.[drv as keyof typeof scst.targets] ?? {})) {
      if (inScope(raw, ctx.node)) emitTarget({ drv, tgt, t: mergePerNode(raw, ctx.node), ctx, readOnlyDevs }, emit);
    }
  }
}

function emitTarget(a: { drv: string; tgt: string; t: TargetSpec; ctx: DesiredContext; readOnlyDevs: Set<string> }, emit: Emit): void {
  const { drv, tgt, t } = a;
  const cm = drv === CM;
  const spec: Record<string, unknown> = {
    attributes: typedAttrs(t as unknown as Record<string, unknown>, TARGET_FIELDS, t.attributes, TARGET_ATTRS),
  };
  if (t.npiv) spec.npiv = { node_name: t.npiv.nodeName.toLowerCase(), parent_host: t.npiv.parentHost.toLowerCase() };
  emit({ address: addr.target(drv, tgt), kind: cm ? 'scst.copy-manager-target' : 'scst.target', spec, meta: t.drift ? { drift: t.drift } : undefined });
  if (!NO_ENABLE.has(drv)) emit({ address: addr.targetEnabled(drv, tgt), kind: 'scst.target-enabled', spec: { enabled: t.enabled ?? true } });
  const lunKind = cm ? 'scst.copy-manager-lun' : 'scst.lun';
  for (const [n, l] of Object.entries(t.luns ?? {})) {
    emit({ address: addr.lun(drv, tgt, Number(n)), kind: lunKind, spec: lunSpec(l, a.readOnlyDevs) });
  }
  for (const [g, group] of Object.entries(t.groups ?? {})) {
    emit({ address: addr.group(drv, tgt, g), kind: 'scst.group', spec: { attributes: typedAttrs({}, [], group.attributes, GROUP_ATTRS) } });
    for (const [n, l] of Object.entries(group.luns ?? {})) {
      emit({ address: addr.lun(drv, tgt, Number(n), g), kind: 'scst.lun', spec: lunSpec(l, a.readOnlyDevs) });
    }
    for (const ini of group.initiators ?? []) emit({ address: addr.initiator(drv, tgt, ini), kind: 'scst.initiator', spec: { group: g } });
  }
  emitUsers(t.auth, a.ctx, emit, (dir, user) => addr.targetUser(drv, tgt, dir, user));
  for (const p of t.allowedPortals ?? []) emit({ address: addr.portal(drv, tgt, p), kind: 'scst.allowed-portal', spec: {} });
}

/** the LUN's effective read-only state: its own flag, or a read-only device (§1.5.1). */
function lunSpec(l: LunSpec, readOnlyDevs: Set<string>): Record<string, unknown> {
  const device = typeof l === 'string' ? l : l.device;
  const own = typeof l === 'string' ? false : l.readOnly === true;
  return { device, read_only: own || readOnlyDevs.has(device) };
}

/** devices whose LUNs the kernel exports read-only: read-only devices, and every vcdrom (scst_vdisk.c). */
function readOnlyDevices(model: SanformModel): Set<string> {
  const out = new Set<string>();
  for (const [name, d] of Object.entries(model.scst?.devices ?? {})) {
    if (d.handler === 'vcdrom') {
      out.add(name);
      continue;
    }
    const ro = d.readOnly ?? (d.attributes?.read_only !== undefined ? canonical('bool', d.attributes.read_only) : false);
    if (ro === true) out.add(name);
  }
  return out;
}

function emitUsers(auth: IscsiAuth | undefined, ctx: DesiredContext, emit: Emit, address: (d: 'incoming' | 'outgoing', u: string) => string): void {
  const one = (direction: 'incoming' | 'outgoing', u: ChapUser): void =>
    emit({
      address: address(direction, u.user),
      kind: 'scst.chap-user',
      spec: { direction, user: u.user, secret: ctx.secrets.fingerprint(u.secret), secretName: u.secret },
    });
  for (const u of auth?.incoming ?? []) one('incoming', u);
  if (auth?.outgoing) one('outgoing', auth.outgoing);
}

function mergePerNode(t: TargetSpec, node: string): TargetSpec {
  const over = t.perNode?.[node];
  if (!over) return t;
  return { ...t, ...over, attributes: { ...t.attributes, ...over.attributes } };
}
