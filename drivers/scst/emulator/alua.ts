/**
 * ALUA device groups and target groups (§1.7, §2.8): a device in at most one device group, a
 * target at most once per device group, local/remote decided when the target is added, group_id
 * and state always key.
 */
import type { Ctx, Node } from './node.js';
import { dirOf, each, keyed, link, rw } from './node.js';
import type { DeviceGroupState, ScstState, TargetGroupState } from './state.js';
import { chomp, fail, lexems, nextLexem, parseUnsigned } from './lexer.js';

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
export const ALUA_STATES = ['active', 'nonoptimized', 'standby', 'unavailable', 'offline', 'transitioning'];

/** Splits `verb name` and checks the verb against `verbs` (aliases allowed). */
function verbAndName(cmd: string, verbs: Record<string, string>): [string, string] {
  const [v, rest] = nextLexem(cmd);
  const verb = verbs[v.toLowerCase()];
  if (!verb) fail('EINVAL', `unknown command ${v}`);
  const lx = lexems(rest);
  if (lx.length < 1) fail('EINVAL', 'name required');
  return [verb, lx[0]];
}

const CREATE_DEL = { create: 'create', add: 'create', del: 'del' };
const ADD_DEL = { add: 'add', del: 'del' };

export function deviceGroupsMgmt(st: ScstState, cmd: string): void {
  const [verb, name] = verbAndName(cmd, CREATE_DEL);
  if (verb === 'create') {
    if (has(st.deviceGroups, name)) fail('EEXIST', `device group ${name} exists`);
    st.deviceGroups[name] = { devices: [], targetGroups: {} };
  } else {
    if (!has(st.deviceGroups, name)) fail('EINVAL', `device group ${name} not found`);
    delete st.deviceGroups[name];
  }
}

function dgDevicesMgmt(st: ScstState, dg: DeviceGroupState, cmd: string): void {
  const [verb, dev] = verbAndName(cmd, ADD_DEL);
  if (verb === 'add') {
    if (!has(st.devices, dev) || !st.devices[dev].handler) fail('EINVAL', `device ${dev} not found`);
    if (Object.values(st.deviceGroups).some((g) => g.devices.includes(dev))) fail('EEXIST', `${dev} already in a device group`);
    dg.devices.push(dev);
  } else {
    if (!dg.devices.includes(dev)) fail('EINVAL', `${dev} not in this device group`);
    dg.devices = dg.devices.filter((d) => d !== dev);
  }
}

function targetGroupsMgmt(dg: DeviceGroupState, cmd: string): void {
  const [verb, name] = verbAndName(cmd, CREATE_DEL);
  if (verb === 'create') {
    if (has(dg.targetGroups, name)) fail('EEXIST', `target group ${name} exists`);
    dg.targetGroups[name] = { groupId: 0, state: 'active', preferred: 0, members: {} };
  } else {
    if (!has(dg.targetGroups, name)) fail('EINVAL', `target group ${name} not found`);
    delete dg.targetGroups[name];
  }
}

/** Finds a local target by name across all drivers (the kernel's search at add time). */
function findTargetDriver(st: ScstState, name: string): string | undefined {
  return Object.entries(st.drivers).find(([, d]) => has(d.targets, name))?.[0];
}

function tgMgmt(st: ScstState, dg: DeviceGroupState, tg: TargetGroupState, cmd: string): void {
  const [verb, tgt] = verbAndName(cmd, ADD_DEL);
  if (verb === 'add') {
    if (Object.values(dg.targetGroups).some((g) => has(g.members, tgt))) fail('EEXIST', `${tgt} already in this device group`);
    tg.members[tgt] = { driver: findTargetDriver(st, tgt), relTgtId: 0 };
  } else {
    if (!has(tg.members, tgt)) fail('EINVAL', `${tgt} not in this target group`);
    delete tg.members[tgt];
  }
}

function tgDir(st: ScstState, dg: DeviceGroupState, tg: TargetGroupState): Node {
  return dirOf(
    {
      mgmt: () => rw(() => 'Usage: echo "add target" >mgmt\n       echo "del target" >mgmt\n', (c) => tgMgmt(st, dg, tg, c), true),
      group_id: () =>
        rw(() => keyed(tg.groupId, true), (v) => {
          const n = parseUnsigned(chomp(v).trim().slice(0, 7));
          if (n < 1 || n > 65535) fail('EINVAL', 'group_id out of range');
          tg.groupId = n;
        }),
      state: () =>
        rw(() => keyed(tg.state, true), (v) => {
          const s = chomp(v);
          if (!ALUA_STATES.includes(s)) fail('EINVAL', `bad ALUA state ${s}`);
          tg.state = s;
        }, true),
      preferred: () =>
        rw(() => keyed(tg.preferred, tg.preferred === 1), (v) => {
          const t = chomp(v).trim();
          if (t !== '0' && t !== '1') fail('EINVAL', 'preferred is 0 or 1');
          tg.preferred = t === '1' ? 1 : 0;
        }, true),
    },
    each(tg.members, (tn, m) =>
      m.driver
        ? link(`../../../../targets/${m.driver}/${tn}`)
        : dirOf({
            rel_tgt_id: () =>
              rw(() => keyed(m.relTgtId, true), (v) => {
                const n = parseUnsigned(chomp(v));
                if (n < 1 || n > 65535) fail('EINVAL', 'rel_tgt_id out of range');
                m.relTgtId = n;
              }),
          }),
    ),
  );
}

const DG_HELP = 'Usage: echo "create group_name" >mgmt\n       echo "del group_name" >mgmt\n';

export function deviceGroupsDir(ctx: Ctx, mgmt: (c: string) => void): Node {
  const st = ctx.st;
  return dirOf(
    { mgmt: () => rw(() => DG_HELP, mgmt) },
    each(st.deviceGroups, (_n, dg) =>
      dirOf({
        devices: () =>
          dirOf(
            { mgmt: () => rw(() => 'Usage: echo "add device" >mgmt\n       echo "del device" >mgmt\n', (c) => dgDevicesMgmt(st, dg, c), true) },
            each(Object.fromEntries(dg.devices.map((d) => [d, d])), (d) => link(`../../../devices/${d}`)),
          ),
        target_groups: () =>
          dirOf(
            { mgmt: () => rw(() => DG_HELP, (c) => targetGroupsMgmt(dg, c), true) },
            each(dg.targetGroups, (_t, tg) => tgDir(st, dg, tg)),
          ),
      }),
    ),
  );
}
