/**
 * Devices and handlers (§1.2, §1.3, §2.3, §2.4): vdisk add_device/del_device with the create
 * parameter rules, pass-through binding of H:C:I:L devices, and the cascade of del_device.
 */
import type { Ctx } from './node.js';
import type { DeviceState, HandlerName, ScstState } from './state.js';
import { fail, lexems, nextLexem, parseBool01, parseParams, parseSigned, parseUnsigned } from './lexer.js';
import { defaultT10DevId, defaultUsn } from '../crc32c.js';
import { openBackingStore } from './backing.js';
import { deviceWithUsn, noteUsn } from './usn-index.js';
import { NULLIO_DEFAULT_SIZE, devValue } from './vdisk-attrs.js';
import { allSets, dropLun, lunSet, putLun, MAX_LUN } from './luns.js';

const F_PARAMS = 'active, async, bind_alua_state, blocksize, cluster_mode, dif_filename, dif_mode, dif_static_app_tag, dif_type, filename, numa_node_id, nv_cache, o_direct, read_only, removable, rotational, thin_provisioned, tst, t10_dev_id, write_through';
const B_PARAMS = 'active, bind_alua_state, blocksize, cluster_mode, dif_filename, dif_mode, dif_static_app_tag, dif_type, filename, numa_node_id, nv_cache, read_only, removable, rotational, thin_provisioned, tst, t10_dev_id, write_through';
const N_PARAMS = 'blocksize, cluster_mode, dif_mode, dif_static_app_tag, dif_type, dummy, numa_node_id, read_only, removable, rotational, size, size_mb, tst, t10_dev_id';
const C_PARAMS = 'tst';

/** Advertised create parameters per vdisk handler, in help order. */
export const CREATE_PARAMS: Record<string, string> = {
  vdisk_fileio: F_PARAMS,
  vdisk_blockio: B_PARAMS,
  vdisk_nullio: N_PARAMS,
  vcdrom: C_PARAMS,
};
/** fileio passes no allow-list: every name the parser knows is accepted. */
const PARSER_KNOWN = new Set([...F_PARAMS.split(', '), 'size', 'size_mb', 'dummy', 'lb_per_pb_exp']);

export const VDISK_HANDLERS: HandlerName[] = ['vdisk_fileio', 'vdisk_blockio', 'vdisk_nullio', 'vcdrom'];
/** pass-through handlers and their SCSI type; scst_disk.c registers dev_disk and dev_disk_perf (both TYPE_DISK). */
export const PASS_HANDLERS: Record<string, number> = { dev_disk: 0, dev_disk_perf: 0, dev_cdrom: 5 };

export const TYPE_TEXT: Record<number, string> = {
  0: '0 - Direct-access device (e.g., magnetic disk)',
  1: '1 - Sequential-access device (e.g., magnetic tape)',
  3: '3 - Processor device',
  5: '5 - CD-ROM device',
  7: '7 - Optical memory device (e.g., some optical disks)',
  8: '8 - Medium changer device (e.g., jukeboxes)',
  12: '12 - Storage array controller device (e.g., RAID)',
};

const BOOL_PARAMS = new Set(['read_only', 'write_through', 'nv_cache', 'o_direct', 'async', 'thin_provisioned', 'rotational', 'removable', 'active', 'bind_alua_state', 'cluster_mode', 'dummy', 'lb_per_pb_exp', 'tst']);

function checkName(st: ScstState, name: string): void {
  if (!name) fail('EINVAL', 'device name required');
  if (Buffer.byteLength(name) > 64) fail('EINVAL', 'device name too long');
  if (/[/.]/.test(name)) fail('EINVAL', 'device name contains / or .');
  if (Object.prototype.hasOwnProperty.call(st.devices, name)) fail('EEXIST', `device ${name} already exists`);
  // the device's link in handlers/HANDLER/ would collide with the handler's mgmt file
  if (name === 'mgmt') fail('EEXIST', 'handlers/HANDLER/mgmt exists');
}

/** Applies create parameters to a fresh device record; returns the parsed map. */
function applyParams(handler: HandlerName, d: DeviceState, rest: string): Map<string, string> {
  const allowed = handler === 'vdisk_fileio' ? PARSER_KNOWN : new Set(CREATE_PARAMS[handler].split(', '));
  const got = new Map<string, string>();
  for (const { name, value } of parseParams(rest)) {
    if (!allowed.has(name)) fail('EINVAL', `unknown parameter ${name}`);
    if (name === 'filename' && got.has('filename')) fail('EINVAL', 'filename given twice');
    if (name === 'filename' && !value.startsWith('/')) fail('EINVAL', 'file name must be absolute');
    if (BOOL_PARAMS.has(name)) d.attrs[name] = String(parseBool01(value));
    else if (name === 'blocksize') {
      const b = parseUnsigned(value);
      if (b < 512) fail('EINVAL', 'blocksize below 512');
      d.attrs.blocksize = String(2 ** Math.floor(Math.log2(b)));
    } else if (name === 'numa_node_id') {
      if (parseSigned(value) < -1) fail('EINVAL', 'numa_node_id');
      d.attrs.numa_node_id = String(parseSigned(value));
    } else if (name === 'size' || name === 'size_mb') got.set('size', String(parseUnsigned(value) * (name === 'size' ? 1 : 1024 ** 2)));
    else if (name === 'dif_type' && ![0, 1, 2, 3].includes(parseUnsigned(value))) fail('EINVAL', 'dif_type');
    else if (name === 't10_dev_id') {
      if (Buffer.byteLength(value) > 25) fail('EINVAL', 't10_dev_id too long');
      d.attrs.t10_dev_id = value;
    } else d.attrs[name] = value;
    got.set(name, value);
    if (name === 't10_dev_id' || name === 'thin_provisioned') d.written.push(name);
  }
  return got;
}

function checkCombos(handler: HandlerName, d: DeviceState, got: Map<string, string>): void {
  const v = (n: string) => devValue(d, n);
  if ((handler === 'vdisk_fileio' || handler === 'vdisk_blockio') && !got.has('filename')) fail('EINVAL', 'File name required');
  if (handler === 'vdisk_fileio' && v('read_only') === '1' && (v('write_through') === '1' || v('nv_cache') === '1'))
    fail('EINVAL', 'read_only with write_through or nv_cache');
  if (handler === 'vdisk_fileio' && v('o_direct') === '1' && v('async') !== '1') fail('EINVAL', 'o_direct needs async');
  const difType = Number(d.attrs.dif_type ?? 0);
  if (difType === 0 && ((d.attrs.dif_mode && d.attrs.dif_mode.toLowerCase() !== 'none') || d.attrs.dif_filename))
    fail('EINVAL', 'dif_type=0 with a dif mode or file');
  const size = got.get('size');
  if (size !== undefined && Number(size) % Number(v('blocksize'))) fail('EINVAL', 'size not a multiple of blocksize');
}

/** `add_device NAME [params]` on a vdisk handler. */
export function addVdisk(ctx: Ctx, handler: HandlerName, rest: string): void {
  const st = ctx.st;
  const [name, after] = nextLexem(rest);
  checkName(st, name);
  const d: DeviceState = { handler, scsiType: handler === 'vcdrom' ? 5 : 0, attrs: {}, written: [], nextExport: 0, exports: {}, size: 0 };
  const got = applyParams(handler, d, after);
  checkCombos(handler, d, got);
  if (handler === 'vdisk_nullio') d.size = Number(got.get('size') ?? NULLIO_DEFAULT_SIZE);
  else if (handler !== 'vcdrom' && devValue(d, 'active') === '1')
    d.size = openBackingStore(ctx, { device: name, handler, path: d.attrs.filename });
  const setupId = Number(st.core.setup_id ?? 0);
  const usn = defaultUsn(name, setupId);
  if (deviceWithUsn(st, usn) !== undefined) fail('EEXIST', 'USN collision');
  d.attrs.usn = usn;
  d.attrs.t10_dev_id ??= defaultT10DevId(name, setupId);
  d.attrs.vend_specific_id = d.attrs.t10_dev_id;
  d.attrs.prod_id = name.slice(0, 16);
  d.attrs.pr_file_name = `/var/lib/scst/pr/${name}`;
  st.devices[name] = d;
  noteUsn(st, name, usn);
  addCopyManagerLun(st, name);
}

/** Auto copy-manager LUN: rotating counter from 0, skipping used numbers (§1.8). */
function addCopyManagerLun(st: ScstState, dev: string): void {
  const r = { driver: 'copy_manager', target: 'copy_manager_tgt', group: null };
  const set = lunSet(st, r)!;
  let lun = st.cmLunCounter;
  for (let i = 0; i <= MAX_LUN && set[String(lun)]; i++) lun = (lun + 1) % (MAX_LUN + 1);
  if (set[String(lun)]) return;
  putLun(st, r, String(lun), { device: dev, readOnly: false });
  st.cmLunCounter = (lun + 1) % (MAX_LUN + 1);
}

/** Removes every LUN (all targets, all groups) and the ALUA membership of a device. */
export function unexportDevice(st: ScstState, dev: string): void {
  for (const [drv, ds] of Object.entries(st.drivers))
    for (const [tn, t] of Object.entries(ds.targets))
      for (const r of allSets(t, drv, tn)) {
        const set = lunSet(st, r)!;
        for (const [lun, l] of Object.entries(set)) if (l.device === dev) dropLun(st, r, lun);
      }
  for (const dg of Object.values(st.deviceGroups)) dg.devices = dg.devices.filter((x) => x !== dev);
}

/**
 * `del_device NAME` on any vdisk handler: cascades (§4.4). vdisk_del_device and vcdrom_del_device
 * (scst_vdisk.c) look the name up with vdev_find() in the one vdev_list all four vdisk handlers
 * share, so any vdisk handler's mgmt deletes any vdisk device.
 */
export function delVdisk(st: ScstState, _handler: HandlerName, rest: string): void {
  const lx = lexems(rest);
  if (lx.length !== 1) fail('EINVAL', 'del_device needs exactly one name');
  const d = st.devices[lx[0]];
  if (!Object.prototype.hasOwnProperty.call(st.devices, lx[0]) || !VDISK_HANDLERS.includes(d.handler as HandlerName)) fail('EINVAL', `Device ${lx[0]} not found`);
  unexportDevice(st, lx[0]);
  delete st.devices[lx[0]];
}

/** Pass-through `add_device H:C:I:L` / `del_device H:C:I:L` (§2.4). */
export function passMgmt(st: ScstState, handler: HandlerName, verb: string, rest: string): void {
  const lx = lexems(rest);
  if (lx.length !== 1 || !/^\d+:\d+:\d+:\d+$/.test(lx[0])) fail('EINVAL', 'expected H:C:I:L');
  const d = st.devices[lx[0]];
  if (!Object.prototype.hasOwnProperty.call(st.devices, lx[0]) || !d.passthrough) fail('EINVAL', `no SCSI device ${lx[0]}`);
  // the type is checked before the verb, for del_device too
  if (d.scsiType !== PASS_HANDLERS[handler]) fail('EINVAL', 'SCSI type does not match the handler');
  if (verb === 'add_device') {
    // scst_assign_dev_handler(): binding to the handler it already has is a silent success
    d.handler = handler;
    return;
  }
  if (d.handler !== handler) fail('EINVAL', `${lx[0]} is not bound to ${handler}`);
  unexportDevice(st, lx[0]);
  d.handler = null;
  d.attrs = { pr_file_name: `/var/lib/scst/pr/${lx[0]}` };
  d.written = [];
}
