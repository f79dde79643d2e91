/**
 * The `targets/` directory (§1.4, §1.5): driver dirs with mgmt and driver attributes, target dirs
 * with core and driver attributes, luns/, ini_groups/ and sessions/.
 */
import type { Ctx, FileNode, Node } from './node.js';
import { dirOf, each, keyed, link, ro, rw, wo } from './node.js';
import type { DriverName, GroupState, TargetState } from './state.js';
import { chomp, fail, parseBool01 } from './lexer.js';
import { lunsDir, lunsMgmt } from './luns.js';
import { INI_GROUPS_HELP, INITIATORS_HELP, iniGroupsMgmt, initiatorsMgmt } from './groups.js';
import { ACG_ATTRS, TARGET_ATTRS, showComment, showSpec, writeComment, writeEnabled, writeRelTgtId } from './target-attrs.js';
import type { AttrSpec } from './target-attrs.js';
import { DRIVERS, DRIVER_INFO, driverHelp, driverMgmt } from './targets.js';
import { ISCSI_DRIVER_ATTRS, ISCSI_TARGET_ATTRS, requireDaemon, showIscsi, writeMultiFile } from './iscsi.js';
import type { IscsiAttr } from './iscsi.js';
import { traceLevelFile } from './trace.js';
import { hostLink } from './fc-hosts.js';
import { loadedModules } from './devices-tree.js';
import { registered } from '../../sim/modules.js';

export const SCST_VERSION = '3.11.0-pre';

function specNode(attrs: Record<string, string>, name: string, spec: AttrSpec): FileNode {
  const write = spec.parse ? (v: string) => void (attrs[name] = spec.parse!(v)) : undefined;
  return { type: 'file', mode: spec.mode, read: () => showSpec(spec, attrs[name]), write, work: spec.work };
}

function iscsiNode(ctx: Ctx, attrs: Record<string, string>, name: string, a: IscsiAttr): FileNode {
  return rw(
    () => (requireDaemon(ctx.st), showIscsi(name, a, attrs[name])),
    (v) => (requireDaemon(ctx.st), void (attrs[name] = a.parse(v))),
  );
}

function multiFiles(ctx: Ctx, multi: Record<string, string>): Record<string, () => Node> {
  const out: Record<string, () => Node> = {};
  for (const f of Object.keys(multi))
    out[f] = () => ({
      type: 'file',
      mode: f.startsWith('allowed_portal') ? 0o644 : 0o600,
      read: () => (requireDaemon(ctx.st), keyed(multi[f], true)),
      write: (v: string) => (requireDaemon(ctx.st), writeMultiFile(multi, f, v)),
    });
  return out;
}

function groupDir(ctx: Ctx, drv: DriverName, tn: string, t: TargetState, g: string, gs: GroupState): Node {
  const r = { driver: drv, target: tn, group: g };
  const fixed: Record<string, () => Node> = {
    luns: () => lunsDir(ctx, r, (c) => lunsMgmt(ctx, r, c)),
    initiators: () =>
      dirOf(
        { mgmt: () => rw(() => INITIATORS_HELP, (c) => initiatorsMgmt(t, g, c), true) },
        each(Object.fromEntries(gs.initiators.map((i) => [i, i])), (i) => ro(() => `${i}\n`)),
      ),
  };
  for (const [n, spec] of Object.entries(ACG_ATTRS)) fixed[n] = () => specNode(gs.attrs, n, spec);
  if (drv === 'iscsi')
    fixed.per_sess_dedicated_tgt_threads = () =>
      rw(
        () => keyed(gs.attrs.per_sess_dedicated_tgt_threads ?? '0', gs.attrs.per_sess_dedicated_tgt_threads === '1'),
        (v) => void (gs.attrs.per_sess_dedicated_tgt_threads = String(parseBool01(chomp(v)))),
      );
  return dirOf(fixed);
}

function sessionsDir(drv: DriverName, t: TargetState): Node {
  return dirOf(
    {},
    each(t.sessions, (sn, s) =>
      dirOf({
        initiator_name: () => ro(() => `${s.initiator}\n`),
        active_commands: () => ro(() => '0\n'),
        commands: () => ro(() => '0\n'),
        // only for templates with close_session (scst_sess_sysfs_create): not scst_local, not the copy manager
        force_close: drv === 'scst_local' || drv === 'copy_manager' ? undefined : () => wo(() => void delete t.sessions[sn]),
        luns: () => link(s.group === null ? '../../luns' : `../../ini_groups/${s.group}/luns`),
      }),
    ),
  );
}

function driverExtras(ctx: Ctx, drv: DriverName, tn: string, t: TargetState): Record<string, () => Node> {
  const out: Record<string, () => Node> = {};
  if (drv === 'iscsi') {
    out.tid = () => ro(() => `${t.tid}\n`);
    for (const [n, a] of Object.entries(ISCSI_TARGET_ATTRS)) out[n] = () => iscsiNode(ctx, t.attrs, n, a);
    Object.assign(out, multiFiles(ctx, t.multi));
  } else if (drv === 'qla2x00t') {
    out.hw_target = () => ro(() => (t.hardware ? '1\n' : '0\n'));
    const defNode = t.npiv ? t.npiv.nodeName : `20${tn.slice(2)}`;
    out.node_name = () =>
      t.hardware
        ? rw(() => keyed(t.attrs.node_name ?? defNode, t.attrs.node_name !== undefined), (v) => {
            const n = chomp(v).trim();
            if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){7}$/.test(n)) fail('EINVAL', 'bad node_name');
            t.attrs.node_name = n;
          })
        : ro(() => `${defNode}\n`);
    out.explicit_confirmation = () =>
      rw(() => keyed(t.attrs.explicit_confirmation ?? '0', t.attrs.explicit_confirmation === '1'), (v) => void (t.attrs.explicit_confirmation = String(parseBool01(chomp(v)))));
    out.abort_isp = () => wo(() => undefined);
    const host = hostLink(ctx.st, tn, t);
    if (host) out.host = () => link(host);
  } else if (drv === 'scst_local') {
    for (const n of ['scsi_transport_version', 'phys_transport_version'])
      out[n] = () => rw(() => keyed(t.attrs[n] ?? '0', (t.attrs[n] ?? '0') !== '0'), (v) => void (t.attrs[n] = chomp(v).trim()));
  }
  return out;
}

function targetDir(ctx: Ctx, drv: DriverName, tn: string, t: TargetState): Node {
  const st = ctx.st;
  const r = { driver: drv, target: tn, group: null };
  const fixed: Record<string, (() => Node) | undefined> = {
    enabled: DRIVER_INFO[drv].enable
      ? () => rw(() => `${t.enabled}\n`, (v) => (drv === 'iscsi' && requireDaemon(st), writeEnabled(st, t, v)), true)
      : undefined,
    rel_tgt_id: () => rw(() => keyed(t.relTgtId, t.relTgtId !== 0), (v) => writeRelTgtId(st, t, v, { hasEnable: DRIVER_INFO[drv].enable }), true),
    comment: () => rw(() => showComment(t), (v) => writeComment(t, v)),
    luns: () => lunsDir(ctx, r, (c) => lunsMgmt(ctx, r, c)),
    ini_groups: () =>
      dirOf(
        { mgmt: () => rw(() => INI_GROUPS_HELP, (c) => iniGroupsMgmt(ctx, { driver: drv, target: tn, t }, c), true) },
        each(t.groups, (g, gs) => groupDir(ctx, drv, tn, t, g, gs)),
      ),
    sessions: () => sessionsDir(drv, t),
  };
  for (const [n, spec] of Object.entries(TARGET_ATTRS)) fixed[n] = () => specNode(t.attrs, n, spec);
  fixed.forwarding = () => specNode(t.attrs, 'forward_dst', TARGET_ATTRS.forward_dst);
  Object.assign(fixed, driverExtras(ctx, drv, tn, t));
  return dirOf(fixed);
}

function driverFiles(ctx: Ctx, drv: DriverName): Record<string, (() => Node) | undefined> {
  const st = ctx.st;
  const ds = st.drivers[drv];
  const out: Record<string, (() => Node) | undefined> = {
    mgmt: DRIVER_INFO[drv].mgmt ? () => rw(() => driverHelp(drv), (c) => driverMgmt(ctx, drv, c), true) : undefined,
  };
  if (drv === 'iscsi') {
    out.version = () => ro(() => `${SCST_VERSION}\n`);
    out.open_state = () => ro(() => (st.iscsid ? 'open\n' : 'closed\n'));
    out.trace_level = () => traceLevelFile(ds.attrs);
    if (st.iscsid) {
      for (const [n, a] of Object.entries(ISCSI_DRIVER_ATTRS)) out[n] = () => iscsiNode(ctx, ds.attrs, n, a);
      Object.assign(out, multiFiles(ctx, ds.multi));
    }
  } else if (drv === 'qla2x00t') out.version = () => ro(() => '10.02.00.100-SCST\n');
  else if (drv === 'copy_manager')
    out.allow_not_connected_copy = () =>
      rw(() => keyed(ds.attrs.allow_not_connected_copy ?? '0', (ds.attrs.allow_not_connected_copy ?? '0') !== '0'), (v) => void (ds.attrs.allow_not_connected_copy = String(parseBool01(chomp(v)))));
  return out;
}

export function targetsDir(ctx: Ctx): Node {
  // a driver's directory exists while its module is loaded (scst_tgtt_sysfs_create, called from
  // __scst_register_target_template in scst_main.c); the copy manager is part of the core
  const mods = loadedModules(ctx.st);
  const rec = Object.fromEntries(DRIVERS.filter((d) => registered(mods, d, 'driver')).map((d) => [d, d]));
  return dirOf(
    {},
    each(rec, (d) => {
      const drv = d as DriverName;
      return dirOf(driverFiles(ctx, drv), each(ctx.st.drivers[drv].targets, (tn, t) => targetDir(ctx, drv, tn, t)));
    }),
  );
}
