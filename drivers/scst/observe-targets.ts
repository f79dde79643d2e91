/**
 * Observing targets/: drivers (attributes, enable, discovery CHAP), targets with their LUN sets,
 * initiator groups, login CHAP users, allowed portals, and sessions (status only).
 */
import { addr } from './address.js';
import { DRIVER_ATTRS, DRIVER_SKIP_FILES, GROUP_ATTRS, TARGET_ATTRS, TARGET_SKIP_FILES } from './attrs.js';
import type { Fingerprinter } from '../../reconciler/secrets.js';
import type { Session } from './kinds.js';
import type { Add } from './read-attrs.js';
import { readAttrs } from './read-attrs.js';
import type { Tree } from './tree.js';
import { canonical } from './values.js';

const CM = 'copy_manager';

/** `fp`: the machine's fingerprinter, for the CHAP secrets the kernel shows in plain text. */
export function observeDrivers(tree: Tree, add: Add, fp: Fingerprinter): void {
  for (const drv of tree.children('targets', 'dir')) {
    const dir = `targets/${drv}`;
    const hasMgmt = tree.has(`${dir}/mgmt`);
    const kind = drv === CM ? 'scst.copy-manager-driver' : 'scst.driver';
    add({ address: addr.driver(drv), kind, spec: { attributes: readAttrs(tree, dir, DRIVER_ATTRS, DRIVER_SKIP_FILES) }, status: { mgmt: hasMgmt } });
    const en = tree.value(`${dir}/enabled`);
    if (en) add({ address: addr.driverEnabled(drv), kind: 'scst.driver-enabled', spec: { enabled: canonical('bool', en.value) } });
    observeUsers(tree, { dir, fp }, add, (d, u) => addr.driverUser(drv, d, u));
    const ports = drv === 'qla2x00t' ? physicalPorts(tree, dir) : new Map<string, string>();
    for (const tgt of tree.children(dir, 'dir')) observeTarget(tree, { drv, tgt, hasMgmt, fp, ports }, add);
  }
}

/** the `host` link's destination without its leading `../` steps (`devices/.../host5/scsi_host/host5`). */
const hostPath = (tree: Tree, dir: string): string | undefined => tree.target(`${dir}/host`)?.replace(/^(\.\.\/)+/, '');

/**
 * qla2x00t's physical ports by the /sys/devices path of their Scsi_Host (`.../host5`), for NPIV
 * targets to find their parent: scst_qla2xxx.c shows no parent_host file (compiled out), but each
 * target's `host` link points at its Scsi_Host, and an NPIV port's Scsi_Host lives under its
 * parent's (`.../host5/vport-5:0-0/host9/scsi_host/host9`, the FC transport's vport device).
 */
function physicalPorts(tree: Tree, dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const tgt of tree.children(dir, 'dir')) {
    if (tree.value(`${dir}/${tgt}/hw_target`)?.value.trim() !== '1') continue;
    const m = /^(.*)\/scsi_host\/[^/]+\/?$/.exec(hostPath(tree, `${dir}/${tgt}`) ?? '');
    if (m) out.set(m[1], tgt);
  }
  return out;
}

/** the physical port an NPIV target hangs off: its `parent_host` file where a build has one, else its `host` link. */
function npivParent(tree: Tree, dir: string, ports: Map<string, string>): string | undefined {
  const file = tree.value(`${dir}/parent_host`)?.value.trim();
  if (file) return file;
  const m = /^(.*)\/vport-[^/]+\/[^/]+\/scsi_host\/[^/]+\/?$/.exec(hostPath(tree, dir) ?? '');
  return m ? ports.get(m[1]) : undefined;
}

function observeTarget(tree: Tree, t: { drv: string; tgt: string; hasMgmt: boolean; fp: Fingerprinter; ports: Map<string, string> }, add: Add): void {
  const { drv, tgt } = t;
  const dir = `targets/${drv}/${tgt}`;
  const hw = tree.value(`${dir}/hw_target`);
  const hardware = hw ? hw.value.trim() === '1' : !t.hasMgmt;
  const sessions = observeSessions(tree, dir);
  if (drv === CM) {
    add({ address: addr.target(drv, tgt), kind: 'scst.copy-manager-target', spec: { attributes: {} }, status: { hardware: true } });
  } else {
    const spec: Record<string, unknown> = { attributes: readAttrs(tree, dir, TARGET_ATTRS, TARGET_SKIP_FILES) };
    if (hw && !hardware && drv === 'qla2x00t') {
      const attributes = spec.attributes as Record<string, unknown>;
      const parent = npivParent(tree, dir, t.ports);
      spec.npiv = { node_name: tree.value(`${dir}/node_name`)?.value ?? '', ...(parent ? { parent_host: parent } : {}) };
      delete attributes.node_name;
    }
    add({ address: addr.target(drv, tgt), kind: 'scst.target', spec, status: { hardware, sessions } });
  }
  const en = tree.value(`${dir}/enabled`);
  if (en) add({ address: addr.targetEnabled(drv, tgt), kind: 'scst.target-enabled', spec: { enabled: canonical('bool', en.value) }, status: { hardware } });
  observeLuns(tree, `${dir}/luns`, (n) => addr.lun(drv, tgt, n), add, drv === CM ? 'scst.copy-manager-lun' : 'scst.lun');
  const seen = new Set<string>();
  for (const g of tree.children(`${dir}/ini_groups`, 'dir')) {
    const gdir = `${dir}/ini_groups/${g}`;
    add({ address: addr.group(drv, tgt, g), kind: 'scst.group', spec: { attributes: readAttrs(tree, gdir, GROUP_ATTRS, new Set()) } });
    observeLuns(tree, `${gdir}/luns`, (n) => addr.lun(drv, tgt, n, g), add, 'scst.lun');
    for (const ini of tree.children(`${gdir}/initiators`, 'file')) {
      // the kernel allows one name in two groups of a target; sanform keeps the first group
      if (ini === 'mgmt' || seen.has(ini)) continue;
      seen.add(ini);
      add({ address: addr.initiator(drv, tgt, ini), kind: 'scst.initiator', spec: { group: g } });
    }
  }
  observeUsers(tree, { dir, fp: t.fp }, add, (d, u) => addr.targetUser(drv, tgt, d, u));
  for (const f of tree.children(dir, 'file')) {
    if (!/^allowed_portal\d*$/.test(f)) continue;
    const v = tree.value(`${dir}/${f}`);
    if (v?.value) add({ address: addr.portal(drv, tgt, v.value.trim()), kind: 'scst.allowed-portal', spec: {}, status: { file: f } });
  }
}

function observeLuns(tree: Tree, dir: string, address: (n: number) => string, add: Add, kind: string): void {
  for (const n of tree.children(dir, 'dir')) {
    const device = tree.linkName(`${dir}/${n}/device`);
    if (device === undefined) continue;
    const ro = tree.value(`${dir}/${n}/read_only`);
    add({ address: address(Number(n)), kind, spec: { device, read_only: ro ? canonical('bool', ro.value) === true : false } });
  }
}

/** IncomingUser* (one resource per user, secret as fingerprint) and OutgoingUser*. */
function observeUsers(tree: Tree, { dir, fp }: { dir: string; fp: Fingerprinter }, add: Add, address: (d: 'incoming' | 'outgoing', user: string) => string): void {
  for (const f of tree.children(dir, 'file')) {
    const m = /^(IncomingUser|OutgoingUser)\d*$/.exec(f);
    if (!m) continue;
    const v = tree.value(`${dir}/${f}`);
    if (!v?.value.trim()) continue;
    const [user, ...rest] = v.value.trim().split(/\s+/);
    const direction = m[1] === 'IncomingUser' ? 'incoming' : 'outgoing';
    const spec = { direction, secret: fp(rest.join(' ')), user };
    add({ address: address(direction, user), kind: 'scst.chap-user', spec, status: { file: f } });
  }
}

/** sessions: initiator name and the LUN set it is matched to. */
function observeSessions(tree: Tree, dir: string): Session[] {
  const out: Session[] = [];
  for (const s of tree.children(`${dir}/sessions`, 'dir')) {
    const sdir = `${dir}/sessions/${s}`;
    const initiator = tree.value(`${sdir}/initiator_name`)?.value.trim() || s;
    const link = tree.target(`${sdir}/luns`) ?? '';
    const m = /ini_groups\/([^/]+)\/luns\/?$/.exec(link);
    out.push(m ? { group: m[1], initiator } : { initiator });
  }
  return out.sort((a, b) => a.initiator.localeCompare(b.initiator));
}
