/**
 * scst.conf -> resources of the same shape observe() produces, so importing a file and importing
 * the live kernel share one path to YAML. CHAP secrets come back in plaintext beside the
 * resources (the resources hold fingerprints only).
 */
import type { Resource } from '../../../reconciler/core/resource.js';
import { fingerprint } from '../../../reconciler/secrets.js';
import { addr } from '../address.js';
import { CORE_ATTRS, DEVICE_ATTRS, DRIVER_ATTRS, GROUP_ATTRS, TARGET_ATTRS, TG_ATTRS } from '../attrs.js';
import type { AttrRule } from '../attrs.js';
import { linkDeps } from '../deps.js';
import type { AttrMap } from '../kinds.js';
import { canonical } from '../values.js';
import type { ConfEntry } from './parse.js';
import { ConfSyntaxError } from './parse.js';

export interface ConfImport {
  resources: Resource[];
  /** plaintext CHAP secret per chap-user address. */
  secrets: Map<string, string>;
}

type Add = (r: Omit<Resource, 'driver' | 'deps'>) => void;
const MULTI = new Set(['IncomingUser', 'OutgoingUser', 'allowed_portal']);
/** section keywords: never attributes. */
const KEYWORDS = new Set(['HANDLER', 'DEVICE', 'TARGET_DRIVER', 'TARGET', 'HW_TARGET', 'LUN', 'GROUP', 'INITIATOR', 'ALUA', 'DEVICE_GROUP', 'TARGET_GROUP']);
const HARDWARE_DRIVERS = new Set(['ib_srpt', 'fcst']);

export function confToResources(entries: ConfEntry[]): ConfImport {
  checkSections(entries);
  const out: Resource[] = [];
  const secrets = new Map<string, string>();
  const add: Add = (r) => out.push({ ...r, driver: 'scst', deps: [] });
  const core: AttrMap = {};
  const local = declaredTargets(entries);
  for (const e of entries) {
    const [k, v, v2] = e.tokens;
    if (k === 'HANDLER') handler(e, v, add);
    else if (k === 'TARGET_DRIVER') driver(e, v, { add, secrets });
    else if (k === 'DEVICE_GROUP') deviceGroup(e, v, { add, local });
    else if (k === 'ALUA') alua(e);
    else if (v !== undefined && v2 === undefined && !e.children) core[k] = canonical(CORE_ATTRS[k]?.type, v);
    else throw new ConfSyntaxError(e.line, `unexpected '${e.tokens.join(' ')}' at top level`);
  }
  add({ address: addr.core(), kind: 'scst.core', spec: { attributes: core } });
  inheritReadOnly(out);
  linkDeps(out);
  return { resources: out, secrets };
}

/**
 * `ALUA { }` holds the attributes directly under device_groups/, where SCST has none (only
 * `mgmt`): scstadmin writes the block empty. A line in it could never be applied, so it is
 * refused rather than dropped.
 */
function alua(e: ConfEntry): void {
  const first = e.children?.[0];
  if (first) {
    throw new ConfSyntaxError(
      first.line,
      `ALUA attribute '${first.tokens.join(' ')}': SCST has no attributes under device_groups/ (only mgmt)`,
      'remove the line; ALUA states and group ids belong in DEVICE_GROUP ... TARGET_GROUP sections',
    );
  }
}

/** keywords that stand alone on their line (a flag), with no value. */
const FLAGS = new Set(['HW_TARGET']);
/** keywords whose second token names the object (one per name in a section). */
const NAMED = new Set(['HANDLER', 'DEVICE', 'TARGET_DRIVER', 'TARGET', 'GROUP', 'INITIATOR', 'DEVICE_GROUP', 'TARGET_GROUP', 'LUN']);

/**
 * What scstadmin would read differently from what the file seems to say is refused at its line:
 * scstadmin keeps only the last of two sections or attributes with the same key (and aborts on a
 * LUN number used twice), aborts on an attribute with more than one unquoted value, and reads a
 * lone word as an empty value.
 */
function checkSections(entries: readonly ConfEntry[]): void {
  const seen = new Map<string, number>();
  for (const e of entries) {
    const [k, v, v2] = e.tokens;
    const named = NAMED.has(k);
    if (!named && !KEYWORDS.has(k)) {
      if (v === undefined && !e.children) throw new ConfSyntaxError(e.line, `attribute '${k}' has no value`, 'give it a value, or remove the line');
      if (v2 !== undefined) throw new ConfSyntaxError(e.line, `attribute '${k}' has more than one value`, `put the value in double quotes: ${k} "${e.tokens.slice(1).join(' ')} ..."`);
    } else if (named && v === undefined) {
      throw new ConfSyntaxError(e.line, `${k} needs a name`);
    } else if (!named && !FLAGS.has(k) && !e.children && k !== 'ALUA') {
      throw new ConfSyntaxError(e.line, `unexpected '${e.tokens.join(' ')}'`);
    }
    const key = named || MULTI.has(k) ? `${k} ${v}` : k;
    const first = seen.get(key);
    if (first !== undefined) {
      throw new ConfSyntaxError(e.line, `'${key}' appears twice in one section (lines ${first} and ${e.line}); scstadmin would keep only the last`, 'merge the two into one');
    }
    seen.set(key, e.line);
    if (e.children) checkSections(e.children);
  }
}

/** Every target the file's TARGET_DRIVER sections declare: the local ones (scstadmin and the kernel make a target-group member local when a target of that name exists). */
function declaredTargets(entries: readonly ConfEntry[]): Set<string> {
  const out = new Set<string>();
  for (const d of entries) {
    if (d.tokens[0] !== 'TARGET_DRIVER') continue;
    for (const t of d.children ?? []) if (t.tokens[0] === 'TARGET') out.add(t.tokens[1]!);
  }
  return out;
}

/** plain `attr value` lines of a section, canonical; structural lines are left to the caller. */
function attrsOf(children: ConfEntry[] | undefined, rules: Record<string, AttrRule>, skip: Set<string>): AttrMap {
  const attrs: AttrMap = {};
  for (const c of children ?? []) {
    const [k, v, v2] = c.tokens;
    if (v === undefined || v2 !== undefined || c.children || skip.has(k) || MULTI.has(k) || KEYWORDS.has(k)) continue;
    attrs[k] = canonical(rules[k]?.type, v);
  }
  return attrs;
}

/** A HANDLER section: its devices. sanform manages no handler attributes, so one is refused rather than dropped. */
function handler(e: ConfEntry, name: string, add: Add): void {
  for (const c of e.children ?? []) {
    if (c.tokens[0] !== 'DEVICE') {
      throw new ConfSyntaxError(c.line, `handler attribute '${c.tokens.join(' ')}' in HANDLER ${name}: sanform does not manage handler attributes`, 'remove the line (set it by hand, or in the ESOS start-up scripts)');
    }
    device(c, name, add);
  }
}

function device(e: ConfEntry, handler: string, add: Add): void {
  const name = e.tokens[1].replace(/^\/dev\//, '');
  if (name.includes('/')) throw new ConfSyntaxError(e.line, `device name '${name}' contains '/'`);
  add({ address: addr.device(name), kind: 'scst.device', spec: { handler, attributes: attrsOf(e.children, DEVICE_ATTRS, new Set()) } });
}

function driver(e: ConfEntry, drv: string, o: { add: Add; secrets: Map<string, string> }): void {
  if (drv === 'copy_manager') {
    const attributes = attrsOf(e.children, DRIVER_ATTRS, new Set(['enabled']));
    o.add({ address: addr.driver(drv), kind: 'scst.copy-manager-driver', spec: { attributes } });
    return; // its automatic LUNs are the kernel's business
  }
  o.add({ address: addr.driver(drv), kind: 'scst.driver', spec: { attributes: attrsOf(e.children, DRIVER_ATTRS, new Set(['enabled'])) } });
  const enabled = e.children?.find((c) => c.tokens[0] === 'enabled');
  if (drv === 'iscsi') o.add({ address: addr.driverEnabled(drv), kind: 'scst.driver-enabled', spec: { enabled: enabled?.tokens[1] === '1' } });
  users(e.children, (d, u) => addr.driverUser(drv, d, u), o);
  for (const t of e.children ?? []) if (t.tokens[0] === 'TARGET') target(t, drv, o);
}

function target(e: ConfEntry, drv: string, o: { add: Add; secrets: Map<string, string> }): void {
  const tgt = e.tokens[1];
  const kids = e.children ?? [];
  const attributes = attrsOf(kids, TARGET_ATTRS, new Set(['enabled', 'parent_host']));
  const parent = kids.find((c) => c.tokens[0] === 'parent_host')?.tokens[1];
  const spec: Record<string, unknown> = { attributes };
  const hardware = kids.some((c) => c.tokens[0] === 'HW_TARGET') || HARDWARE_DRIVERS.has(drv) || (drv === 'qla2x00t' && !parent);
  if (drv === 'qla2x00t' && parent) {
    spec.npiv = { node_name: String(attributes.node_name ?? ''), parent_host: parent };
    delete attributes.node_name;
  }
  o.add({ address: addr.target(drv, tgt), kind: 'scst.target', spec, status: { hardware, sessions: [] } });
  if (drv !== 'scst_local') {
    const en = kids.find((c) => c.tokens[0] === 'enabled')?.tokens[1];
    o.add({ address: addr.targetEnabled(drv, tgt), kind: 'scst.target-enabled', spec: { enabled: en === '1' }, status: { hardware } });
  }
  luns(kids, (n) => addr.lun(drv, tgt, n), o.add);
  for (const g of kids) {
    if (g.tokens[0] !== 'GROUP') continue;
    const name = g.tokens[1];
    o.add({ address: addr.group(drv, tgt, name), kind: 'scst.group', spec: { attributes: attrsOf(g.children, GROUP_ATTRS, new Set()) } });
    luns(g.children ?? [], (n) => addr.lun(drv, tgt, n, name), o.add);
    for (const i of g.children ?? []) {
      if (i.tokens[0] === 'INITIATOR') o.add({ address: addr.initiator(drv, tgt, i.tokens[1]), kind: 'scst.initiator', spec: { group: name } });
    }
  }
  users(kids, (d, u) => addr.targetUser(drv, tgt, d, u), o);
  for (const p of kids) {
    if (p.tokens[0] === 'allowed_portal') o.add({ address: addr.portal(drv, tgt, p.tokens[1]), kind: 'scst.allowed-portal', spec: {} });
  }
}

function luns(kids: ConfEntry[], address: (n: number) => string, add: Add): void {
  for (const l of kids) {
    if (l.tokens[0] !== 'LUN') continue;
    if (l.tokens.length < 3) throw new ConfSyntaxError(l.line, 'LUN needs a number and a device');
    const ro = l.children?.find((c) => c.tokens[0] === 'read_only')?.tokens[1];
    add({ address: address(Number(l.tokens[1])), kind: 'scst.lun', spec: { device: l.tokens[2], read_only: ro !== undefined && ro !== '0' } });
  }
}

function users(kids: ConfEntry[] | undefined, address: (d: 'incoming' | 'outgoing', u: string) => string, o: { add: Add; secrets: Map<string, string> }): void {
  for (const c of kids ?? []) {
    const k = c.tokens[0];
    if (k !== 'IncomingUser' && k !== 'OutgoingUser') continue;
    const [user, ...rest] = (c.tokens[1] ?? '').trim().split(/\s+/);
    const secret = rest.join(' ');
    if (!user || !secret) throw new ConfSyntaxError(c.line, `${k} needs "user secret" in double quotes`);
    const direction = k === 'IncomingUser' ? 'incoming' : 'outgoing';
    const a = address(direction, user);
    o.secrets.set(a, secret);
    o.add({ address: a, kind: 'scst.chap-user', spec: { direction, user, secret: fingerprint(secret) } });
  }
}

function deviceGroup(e: ConfEntry, dg: string, { add, local }: { add: Add; local: ReadonlySet<string> }): void {
  add({ address: addr.dg(dg), kind: 'scst.alua-dg', spec: { attributes: attrsOf(e.children, {}, new Set()) } });
  for (const c of e.children ?? []) {
    if (c.tokens[0] === 'DEVICE') add({ address: addr.dgDevice(dg, c.tokens[1]), kind: 'scst.alua-device', spec: {} });
    if (c.tokens[0] !== 'TARGET_GROUP') continue;
    const tg = c.tokens[1];
    add({ address: addr.tg(dg, tg), kind: 'scst.alua-tg', spec: { attributes: attrsOf(c.children, TG_ATTRS, new Set()) } });
    for (const t of c.children ?? []) {
      if (t.tokens[0] !== 'TARGET') continue;
      // local when the file declares the target (its braces then only repeat its own rel_tgt_id)
      const rel = t.children?.find((x) => x.tokens[0] === 'rel_tgt_id')?.tokens[1];
      const spec = local.has(t.tokens[1]!) ? { remote: false } : { remote: true, ...(rel !== undefined ? { rel_tgt_id: Number(rel) } : {}) };
      add({ address: addr.tgTarget(dg, tg, t.tokens[1]), kind: 'scst.alua-tg-target', spec });
    }
  }
}

/** a LUN of a read-only device (or a vcdrom) reads back read-only (§1.5.1), whether or not the file says so. */
function inheritReadOnly(list: Resource[]): void {
  const readOnly = (s: { handler: string; attributes: AttrMap }): boolean => s.handler === 'vcdrom' || s.attributes.read_only === true;
  const ro = new Set(list.filter((r) => r.kind === 'scst.device' && readOnly(r.spec as { handler: string; attributes: AttrMap })).map((r) => r.address.slice('scst/device/'.length)));
  for (const r of list) {
    const s = r.spec as { device?: string; read_only?: boolean };
    if (r.kind === 'scst.lun' && s.device !== undefined && ro.has(s.device)) s.read_only = true;
  }
}
