/**
 * Target drivers and their targets (§1.4, §2.2, §5): which drivers have `mgmt` and `enabled`,
 * add_target/del_target per driver (iSCSI needs the daemon, qla2x00t only NPIV, scst_local with
 * sessions), hardware targets seeded from the profile, and the del_target cascade.
 */
import type { Ctx } from './node.js';
import type { DriverName, ScstState, TargetState } from './state.js';
import { fail, lexems, nextLexem, parseParams } from './lexer.js';
import { allSets, dropLun, lunSet } from './luns.js';
import { ISCSI_TARGET_ATTRS, iscsiMgmtCmd, requireDaemon } from './iscsi.js';
import { login } from './groups.js';
import { allocVport } from './fc-hosts.js';

export const DRIVERS: DriverName[] = ['copy_manager', 'fcst', 'ib_srpt', 'iscsi', 'qla2x00t', 'scst_local'];

export interface DriverInfo {
  mgmt: boolean;
  /** targets have an `enabled` file. */
  enable: boolean;
  params?: string;
  driverAttrs?: string;
  targetAttrs?: string;
  extraHelp?: string[];
}

export const DRIVER_INFO: Record<DriverName, DriverInfo> = {
  copy_manager: { mgmt: false, enable: false },
  fcst: { mgmt: false, enable: true },
  ib_srpt: { mgmt: false, enable: true },
  iscsi: {
    mgmt: true,
    enable: true,
    driverAttrs: 'IncomingUser, OutgoingUser',
    targetAttrs: 'IncomingUser, OutgoingUser, allowed_portal',
  },
  qla2x00t: { mgmt: true, enable: true, params: 'node_name, parent_host' },
  scst_local: {
    mgmt: true,
    enable: false,
    params: 'session_name',
    extraHelp: ['       echo "add_session target_name session_name" >mgmt', '       echo "del_session target_name session_name" >mgmt'],
  },
};

/** Text of `targets/<driver>/mgmt` (§2.2). */
export function driverHelp(drv: DriverName): string {
  const i = DRIVER_INFO[drv];
  const lines = ['Usage: echo "add_target target_name [parameters]" >mgmt', '       echo "del_target target_name" >mgmt'];
  if (i.driverAttrs)
    lines.push('       echo "add_attribute <attribute> <value>" >mgmt', '       echo "del_attribute <attribute> <value>" >mgmt');
  if (i.targetAttrs)
    lines.push(
      '       echo "add_target_attribute target_name <attribute> <value>" >mgmt',
      '       echo "del_target_attribute target_name <attribute> <value>" >mgmt',
    );
  lines.push(...(i.extraHelp ?? []), '', "where parameters are one or more param_name=value pairs separated by ';'", '');
  // scst_tgtt_mgmt_show(): the parameter list has no newline of its own, the attribute lists do,
  // and the format ends with one more newline.
  let tail = i.params ? `The following parameters available: ${i.params}` : '';
  if (i.driverAttrs) tail += `The following target driver attributes available: ${i.driverAttrs}\n`;
  if (i.targetAttrs) tail += `The following target attributes available: ${i.targetAttrs}\n`;
  return `${lines.join('\n')}\n${tail}\n`;
}

export const newTarget = (hardware: boolean): TargetState => ({
  hardware, enabled: 0, relTgtId: 0, attrs: {}, luns: {}, groups: {}, sessions: {}, multi: {},
});

const WWN = /^[0-9a-f]{2}(:[0-9a-f]{2}){7}$/;

function addTarget(st: ScstState, drv: DriverName, rest: string): void {
  const [name, after] = nextLexem(rest);
  if (!name) fail('EINVAL', 'target name required');
  if (drv === 'iscsi') requireDaemon(st);
  const targets = st.drivers[drv].targets;
  const params = parseParams(after, drv === 'scst_local' ? 'lenient' : 'strict');
  if (Object.prototype.hasOwnProperty.call(targets, name)) fail('EEXIST', `target ${name} exists`);
  // its directory would collide with the driver's mgmt file
  if (name === 'mgmt') fail('EEXIST', `targets/${drv}/mgmt exists`);
  const t = newTarget(false);
  if (drv === 'iscsi') {
    if (Buffer.byteLength(name) > 255) fail('EINVAL', 'iSCSI name too long');
    for (const p of params) {
      const key = Object.keys(ISCSI_TARGET_ATTRS).find((k) => k.toLowerCase() === p.name);
      if (!key) fail('EINVAL', `unknown parameter ${p.name}`);
      t.attrs[key] = ISCSI_TARGET_ATTRS[key].parse(p.value);
    }
    t.tid = st.nextTid++;
  } else if (drv === 'qla2x00t') {
    const nn = params.find((p) => p.name === 'node_name')?.value;
    const ph = params.find((p) => p.name === 'parent_host')?.value;
    if (params.some((p) => p.name !== 'node_name' && p.name !== 'parent_host')) fail('EINVAL', 'unknown parameter');
    if (!WWN.test(name) || !nn || !ph || !WWN.test(nn) || !WWN.test(ph)) fail('EINVAL', 'NPIV needs WWN name, node_name and parent_host');
    if (!targets[ph]?.hardware) fail('EINVAL', `parent_host ${ph} is not a physical port`);
    t.npiv = { nodeName: nn, parentHost: ph };
    allocVport(st, t);
  } else if (drv === 'scst_local') {
    if (params.some((p) => p.name !== 'session_name')) fail('EINVAL', 'unknown parameter');
    for (const p of params) login(st, t, p.value);
  }
  targets[name] = t;
}

/** Removes a target with its LUNs, groups, sessions and ALUA memberships (§4.4). */
export function removeTarget(st: ScstState, drv: string, name: string): void {
  const t = (st.drivers as Record<string, { targets: Record<string, TargetState> }>)[drv].targets[name];
  for (const r of allSets(t, drv, name)) for (const lun of Object.keys(lunSet(st, r)!)) dropLun(st, r, lun);
  for (const dg of Object.values(st.deviceGroups))
    for (const tg of Object.values(dg.targetGroups)) if (tg.members[name]?.driver === drv) delete tg.members[name];
  delete (st.drivers as Record<string, { targets: Record<string, TargetState> }>)[drv].targets[name];
}

function delTarget(st: ScstState, drv: DriverName, rest: string): void {
  if (drv === 'iscsi') requireDaemon(st);
  const lx = lexems(rest);
  if (lx.length !== 1) fail('EINVAL', 'del_target needs exactly one name');
  const t = st.drivers[drv].targets[lx[0]];
  if (!Object.prototype.hasOwnProperty.call(st.drivers[drv].targets, lx[0])) fail('ENOENT', `target ${lx[0]} not found`);
  if (t.hardware) fail('EINVAL', `${lx[0]} is a hardware target`);
  removeTarget(st, drv, lx[0]);
}

function localSession(st: ScstState, verb: string, rest: string): void {
  const lx = lexems(rest);
  if (lx.length !== 2) fail('EINVAL', `${verb} needs target and session`);
  const targets = st.drivers.scst_local.targets;
  if (!Object.prototype.hasOwnProperty.call(targets, lx[0])) fail('EINVAL', `target ${lx[0]} not found`);
  const t = targets[lx[0]];
  if (verb === 'add_session') {
    if (t.sessions[lx[1]]) fail('EEXIST', `session ${lx[1]} exists`);
    login(st, t, lx[1]);
  } else {
    if (!t.sessions[lx[1]]) fail('EINVAL', `session ${lx[1]} not found`);
    delete t.sessions[lx[1]];
  }
}

/** `targets/<driver>/mgmt` store. */
export function driverMgmt(ctx: Ctx, drv: DriverName, cmd: string): void {
  const st = ctx.st;
  const [verbRaw, rest] = nextLexem(cmd);
  const verb = verbRaw.toLowerCase();
  if (verb === 'add_target') return addTarget(st, drv, rest);
  if (verb === 'del_target') return delTarget(st, drv, rest);
  if (drv === 'iscsi') return iscsiMgmtCmd(st, cmd);
  if (drv === 'scst_local' && (verb === 'add_session' || verb === 'del_session')) return localSession(st, verb, rest);
  fail('EINVAL', `unknown command ${verbRaw}`);
}

/** Fresh driver records with the hardware targets of the profile and the copy manager. */
export function seedDrivers(st: ScstState): void {
  st.drivers = Object.fromEntries(DRIVERS.map((d) => [d, { targets: {}, attrs: {}, multi: {} }])) as ScstState['drivers'];
  st.drivers.copy_manager.targets.copy_manager_tgt = newTarget(true);
  // scst_cm_init registers its one session at start-up (scst_copy_mgr.c, SCST_CM_SESS_NAME), with
  // the session name as initiator name; it sees the copy manager's LUNs
  st.drivers.copy_manager.targets.copy_manager_tgt.sessions.copy_manager_sess = { initiator: 'copy_manager_sess', group: null };
  for (const p of st.hardware.fcPorts) st.drivers.qla2x00t.targets[p.wwpn] = newTarget(true);
  for (const p of st.hardware.srpPorts) st.drivers.ib_srpt.targets[p.gid] = newTarget(true);
  for (const p of st.hardware.fcoePorts) st.drivers.fcst.targets[p.wwpn] = newTarget(true);
}
