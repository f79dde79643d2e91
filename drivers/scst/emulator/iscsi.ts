/**
 * iSCSI specifics (§5.1): the daemon (iscsi-scstd) gate, its driver and per-target attributes,
 * and the multi-instance CHAP/portal attributes (IncomingUser, IncomingUser1..., mode 0600).
 */
import type { ScstState, TargetState } from './state.js';
import { chomp, fail, lexems, nextLexem, parseUnsigned } from './lexer.js';

export interface IscsiAttr {
  def: string;
  parse: (v: string) => string;
  /** printed as a lone newline when empty (redirect, alias, iSNSServer...). */
  emptyNewline?: boolean;
}

const range = (lo: number, hi: number) => (v: string): string => {
  const n = parseUnsigned(chomp(v).trim());
  if (n < lo || n > hi) fail('EINVAL', `value out of range ${lo}..${hi}`);
  return String(n);
};
const yesNo = (v: string): string => {
  const t = chomp(v).trim().toLowerCase();
  if (t !== 'yes' && t !== 'no') fail('EINVAL', 'expected Yes or No');
  return t === 'yes' ? 'Yes' : 'No';
};
const digest = (v: string): string => {
  const t = chomp(v).trim();
  if (!['None', 'CRC32C', 'CRC32C,None', 'None,CRC32C'].includes(t)) fail('EINVAL', 'bad digest');
  return t;
};
const text = (v: string): string => chomp(v);
const bool = (v: string): string => range(0, 1)(v);

/** Per-target attributes the daemon creates, with local defaults. */
export const ISCSI_TARGET_ATTRS: Record<string, IscsiAttr> = {
  QueuedCommands: { def: '32', parse: range(1, 2048) },
  RspTimeout: { def: '90', parse: range(2, 65535) },
  NopInInterval: { def: '30', parse: range(0, 65535) },
  NopInTimeout: { def: '30', parse: range(2, 65535) },
  MaxSessions: { def: '0', parse: range(0, 65535) },
  InitialR2T: { def: 'No', parse: yesNo },
  ImmediateData: { def: 'Yes', parse: yesNo },
  MaxRecvDataSegmentLength: { def: '1048576', parse: range(512, 16777215) },
  MaxXmitDataSegmentLength: { def: '1048576', parse: range(512, 16777215) },
  MaxBurstLength: { def: '1048576', parse: range(512, 16777215) },
  FirstBurstLength: { def: '65536', parse: range(512, 16777215) },
  MaxOutstandingR2T: { def: '32', parse: range(1, 65535) },
  HeaderDigest: { def: 'None', parse: digest },
  DataDigest: { def: 'None', parse: digest },
  RDMAExtensions: { def: 'Yes', parse: yesNo },
  per_portal_acl: { def: '0', parse: bool },
  redirect: { def: '', parse: text, emptyNewline: true },
  alias: { def: '', parse: text, emptyNewline: true },
};

/** Driver attributes created by the daemon when it connects. */
export const ISCSI_DRIVER_ATTRS: Record<string, IscsiAttr> = {
  enabled: { def: '0', parse: bool },
  iSNSServer: { def: '', parse: text, emptyNewline: true },
  isns_entity_name: { def: '', parse: text, emptyNewline: true },
  link_local: { def: '1', parse: bool },
  internal_portal: { def: '', parse: text, emptyNewline: true },
};

/** Printed form: `[key]` when ≠ default (except driver `enabled`, never key). */
export function showIscsi(name: string, a: IscsiAttr, v: string | undefined): string {
  const val = v ?? a.def;
  if (val === '' && a.emptyNewline) return '\n';
  const key = name !== 'enabled' && val !== a.def;
  return `${val}\n${key ? '[key]\n' : ''}`;
}

export const requireDaemon = (st: ScstState): void => {
  if (!st.iscsid) fail('EPERM', 'User space process is not connected');
};

const MULTI_DRIVER = ['IncomingUser', 'OutgoingUser'];
const MULTI_TARGET = ['IncomingUser', 'OutgoingUser', 'allowed_portal'];

/** Base name of a multi-instance file (IncomingUser12 -> IncomingUser). */
export const multiBase = (file: string): string => file.replace(/\d+$/, '');

function firstFree(multi: Record<string, string>, base: string): string {
  if (!(base in multi)) return base;
  for (let i = 1; ; i++) if (!(`${base}${i}` in multi)) return `${base}${i}`;
}

function filesOf(multi: Record<string, string>, base: string): string[] {
  return Object.keys(multi).filter((f) => multiBase(f) === base);
}

/** Validates `user secret` for a CHAP attribute; returns the canonical value. */
function chapValue(lx: string[]): string {
  if (lx.length < 2) fail('EINVAL', 'user and secret required');
  if (Buffer.byteLength(lx[1]) < 12) fail('EINVAL', 'CHAP secret must be at least 12 bytes');
  return `${lx[0]} ${lx[1]}`;
}

/** add_attribute / add_target_attribute of one multi-valued attribute. */
export function addMulti(multi: Record<string, string>, o: { scope: 'driver' | 'target'; attr: string; args: string[] }): void {
  const allowed = o.scope === 'driver' ? MULTI_DRIVER : MULTI_TARGET;
  if (!allowed.includes(o.attr)) fail('EINVAL', `unknown attribute ${o.attr}`);
  if (o.attr === 'allowed_portal') {
    // iscsi-scstd __handle_add_attr(): exactly one value
    if (o.args.length !== 1) fail('EINVAL', 'one portal expected');
    if (filesOf(multi, o.attr).some((f) => multi[f] === o.args[0])) fail('EINVAL', 'duplicate portal');
    multi[firstFree(multi, o.attr)] = o.args[0];
    return;
  }
  const value = chapValue(o.args);
  if (o.attr === 'OutgoingUser') for (const f of filesOf(multi, o.attr)) delete multi[f];
  if (filesOf(multi, o.attr).some((f) => multi[f].split(' ')[0] === o.args[0])) fail('EINVAL', `user ${o.args[0]} exists`);
  multi[firstFree(multi, o.attr)] = value;
}

/** del_attribute / del_target_attribute: by user name (or portal pattern); ENOENT if absent. */
export function delMulti(multi: Record<string, string>, o: { scope: 'driver' | 'target'; attr: string; args: string[] }): void {
  const allowed = o.scope === 'driver' ? MULTI_DRIVER : MULTI_TARGET;
  if (!allowed.includes(o.attr)) fail('EINVAL', `unknown attribute ${o.attr}`);
  if (o.args.length < 1) fail('EINVAL', 'value required');
  const f = filesOf(multi, o.attr).find((x) => multi[x].split(' ')[0] === o.args[0]);
  // an absent user is ENOENT (config_account_del), an absent portal EINVAL (__handle_del_attr)
  if (!f) fail(o.attr === 'allowed_portal' ? 'EINVAL' : 'ENOENT', `${o.attr} ${o.args[0]} not found`);
  delete multi[f];
}

/** A write into an existing IncomingUserN file replaces that entry in place. */
export function writeMultiFile(multi: Record<string, string>, file: string, v: string): void {
  const base = multiBase(file);
  const lx = lexems(v);
  if (base === 'allowed_portal') {
    if (lx.length !== 1) fail('EINVAL', 'one portal expected');
    multi[file] = lx[0];
    return;
  }
  const value = chapValue(lx);
  if (filesOf(multi, base).some((f) => f !== file && multi[f].split(' ')[0] === lx[0])) fail('EINVAL', `user ${lx[0]} exists`);
  multi[file] = value;
}

/** The iSCSI driver's private mgmt verbs (§2.2 driver-level verbs). */
export function iscsiMgmtCmd(st: ScstState, cmd: string): void {
  requireDaemon(st);
  const [verbRaw, rest] = nextLexem(cmd);
  const verb = verbRaw.toLowerCase();
  const lx = lexems(rest);
  const drv = st.drivers.iscsi;
  if (verb === 'add_attribute' || verb === 'del_attribute') {
    if (lx.length < 1) fail('EINVAL', 'attribute name required');
    const o = { scope: 'driver' as const, attr: lx[0], args: lx.slice(1) };
    return verb === 'add_attribute' ? addMulti(drv.multi, o) : delMulti(drv.multi, o);
  }
  if (verb === 'add_target_attribute' || verb === 'del_target_attribute') {
    if (lx.length < 2) fail('EINVAL', 'target and attribute required');
    const t: TargetState | undefined = drv.targets[lx[0]];
    // iscsi-scstd handle_e_mgmt_cmd(): target_find_by_name() failing is ENOENT
    if (!Object.prototype.hasOwnProperty.call(drv.targets, lx[0])) fail('ENOENT', `target ${lx[0]} not found`);
    const o = { scope: 'target' as const, attr: lx[1], args: lx.slice(2) };
    return verb === 'add_target_attribute' ? addMulti(t!.multi, o) : delMulti(t!.multi, o);
  }
  fail('EINVAL', `unknown command ${verbRaw}`);
}
