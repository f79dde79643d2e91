/**
 * Resources (observed, or read from an scst.conf) -> the typed YAML model: typed fields where the
 * schema has them, `attributes:` for the rest, defaults and generated identifiers left out, so the
 * plan right after an import is empty. Maps are built in sorted key order.
 */
import type { Resource } from '../../reconciler/core/resource.js';
import type { DeviceSpec, SanformModel, ScstSpec, TargetSpec } from '../../schema/model.js';
import { parseAddr } from './address.js';
import { SIZE_FOLLOWS_STORE } from './attrs.js';
import { CORE_FIELDS, DEVICE_FIELDS, TARGET_FIELDS } from './fields.js';
import { generatedIdentifiers } from './identifiers.js';
import type { AttrMap, ChapSpec, LunSpec, TargetStatus } from './kinds.js';
import { aluaToModel } from './to-model-alua.js';
import { typed } from './typed.js';

/** secret name for a CHAP user, chosen by the caller (import writes the value to a file). */
export type NameSecret = (address: string, spec: ChapSpec) => string;

export function resourcesToModel(resources: Resource[], nameSecret: NameSecret): SanformModel {
  const by = (kind: string): Resource[] => resources.filter((r) => r.kind === kind).sort((a, b) => cmp(a.address, b.address));
  const scst: ScstSpec = {};
  const core = by('scst.core')[0];
  const setupId = Number((core?.spec as { attributes?: AttrMap } | undefined)?.attributes?.setup_id ?? 0);
  if (core) Object.assign(scst, typed('scst.core', (core.spec as { attributes: AttrMap }).attributes, CORE_FIELDS));
  const devices: Record<string, DeviceSpec> = {};
  for (const d of by('scst.device')) {
    const spec = d.spec as { handler: string; attributes: AttrMap };
    const name = parseAddr(d.address).dev!;
    const attrs = dropGenerated(spec.attributes, generatedIdentifiers(name, setupId, spec.handler));
    if (SIZE_FOLLOWS_STORE.has(spec.handler)) delete attrs.size;
    devices[name] = { handler: spec.handler as DeviceSpec['handler'], ...typed('scst.device', attrs, DEVICE_FIELDS, spec.handler) };
  }
  if (Object.keys(devices).length) scst.devices = devices;
  const ro = new Set(Object.entries(devices).filter(([, d]) => d.readOnly === true || d.handler === 'vcdrom').map(([n]) => n));
  targetsToModel({ resources, by, scst, ro, nameSecret });
  const alua = aluaToModel(by);
  if (alua) scst.alua = alua;
  return { version: 1, ...(Object.keys(scst).length ? { scst } : {}) };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function dropGenerated(attrs: AttrMap, gen: Record<string, string>): AttrMap {
  const out: AttrMap = {};
  for (const [k, v] of Object.entries(attrs)) if (gen[k] === undefined || gen[k] !== v) out[k] = v;
  return out;
}

interface TCtx {
  resources: Resource[];
  by: (kind: string) => Resource[];
  scst: ScstSpec;
  ro: Set<string>;
  nameSecret: NameSecret;
}

function targetsToModel(c: TCtx): void {
  const get = new Map(c.resources.map((r) => [r.address, r]));
  const targets: Record<string, Record<string, TargetSpec>> = {};
  for (const t of c.by('scst.target')) {
    const { drv, tgt } = parseAddr(t.address) as { drv: string; tgt: string };
    const spec = t.spec as { attributes: AttrMap; npiv?: { node_name: string; parent_host?: string } };
    const out: TargetSpec = typed('scst.target', spec.attributes, TARGET_FIELDS) as TargetSpec;
    if (spec.npiv) out.npiv = { nodeName: spec.npiv.node_name, parentHost: spec.npiv.parent_host ?? '' };
    const enabled = (get.get(`${t.address}/enabled`)?.spec as { enabled?: boolean } | undefined)?.enabled;
    if (enabled === false) out.enabled = false;
    fillTarget(out, t.address, c);
    const hardware = (t.status as TargetStatus | undefined)?.hardware === true;
    if (hardware && enabled !== true && Object.keys(out).length === 1 && out.enabled === false) continue;
    (targets[drv] ??= {})[tgt] = out;
  }
  if (Object.keys(targets).length) c.scst.targets = sortKeys(targets);
  driversToModel(c, get);
}

/** LUNs, groups, initiators, CHAP users and portals under one target. */
function fillTarget(out: TargetSpec, base: string, c: TCtx): void {
  const under = c.resources.filter((r) => r.address.startsWith(`${base}/`)).sort((a, b) => cmp(a.address, b.address));
  const lunOf = (s: LunSpec): TargetSpec['luns'] extends Record<string, infer L> | undefined ? L : never =>
    s.read_only && !c.ro.has(s.device) ? { device: s.device, readOnly: true } : s.device;
  for (const r of under) {
    const p = parseAddr(r.address);
    if (r.kind === 'scst.group') {
      const g = typed('scst.group', (r.spec as { attributes: AttrMap }).attributes, []);
      (out.groups ??= {})[p.group!] = g;
    }
  }
  for (const r of under) {
    const p = parseAddr(r.address);
    if (r.kind === 'scst.lun' && p.group === undefined) (out.luns ??= {})[String(p.lun)] = lunOf(r.spec as unknown as LunSpec);
    if (r.kind === 'scst.lun' && p.group !== undefined) ((out.groups![p.group] ??= {}).luns ??= {})[String(p.lun)] = lunOf(r.spec as unknown as LunSpec);
    if (r.kind === 'scst.initiator') {
      const g = (r.spec as { group: string }).group;
      ((out.groups ??= {})[g] ??= {}).initiators = [...(out.groups[g].initiators ?? []), p.name!];
    }
    if (r.kind === 'scst.allowed-portal') out.allowedPortals = [...(out.allowedPortals ?? []), p.name!];
    if (r.kind === 'scst.chap-user') addUser(out as { auth?: TargetSpec['auth'] }, r, c.nameSecret);
  }
}

function addUser(out: { auth?: TargetSpec['auth'] }, r: Resource, nameSecret: NameSecret): void {
  const s = r.spec as unknown as ChapSpec;
  const u = { user: s.user, secret: nameSecret(r.address, s) };
  out.auth ??= {};
  if (s.direction === 'incoming') out.auth.incoming = [...(out.auth.incoming ?? []), u];
  else out.auth.outgoing = u;
}

function driversToModel(c: TCtx, get: Map<string, Resource>): void {
  const drivers: NonNullable<ScstSpec['drivers']> = {};
  for (const d of [...c.by('scst.driver'), ...c.by('scst.copy-manager-driver')]) {
    const drv = parseAddr(d.address).drv!;
    const out: Record<string, unknown> = typed(d.kind, (d.spec as { attributes: AttrMap }).attributes, []);
    const en = (get.get(`${d.address}/enabled`)?.spec as { enabled?: boolean } | undefined)?.enabled;
    const hasTargets = c.scst.targets?.[drv as keyof NonNullable<ScstSpec['targets']>] !== undefined;
    if (en !== undefined && en !== hasTargets) out.enabled = en;
    for (const u of c.resources.filter((r) => r.kind === 'scst.chap-user' && r.address.startsWith(`${d.address}/`))) addUser(out, u, c.nameSecret);
    if (Object.keys(out).length) (drivers as Record<string, unknown>)[drv] = out;
  }
  if (Object.keys(drivers).length) c.scst.drivers = drivers;
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(o).sort(cmp).map((k) => [k, o[k]]));
}

