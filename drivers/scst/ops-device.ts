/**
 * Kernel operations for devices and core attributes: add_device with its create parameters
 * (cluster_mode last, so t10_dev_id is set while the kernel still accepts it), runtime attribute
 * writes, filename changes through active=0/1, del_device.
 */
import type { Change, FieldChange, Op } from '../../reconciler/core/change.js';
import { parseAddr, sysPath } from './address.js';
import { DEVICE_ATTRS } from './attrs.js';
import type { DeviceSpec } from './kinds.js';
import { attrWrites, initialWrites, mgmt, specOf, write } from './ops-util.js';
import { format } from './values.js';

const VDISK = new Set(['vdisk_fileio', 'vdisk_blockio', 'vdisk_nullio', 'vcdrom']);

export function deviceOps(change: Change): Op[] {
  const dev = parseAddr(change.address).dev!;
  switch (change.action) {
    case 'create':
      return createDevice(dev, specOf<DeviceSpec>(change, 'after'));
    case 'delete':
      return [deleteDevice(dev, specOf<DeviceSpec>(change, 'before'))];
    case 'replace':
      return [deleteDevice(dev, specOf<DeviceSpec>(change, 'before')), ...createDevice(dev, specOf<DeviceSpec>(change, 'after'))];
    case 'update':
      return updateDevice(dev, change);
    default:
      return [];
  }
}

/** the create parameters a handler takes, in order: by name, cluster_mode last. */
export function createParams(spec: DeviceSpec): [string, string][] {
  if (!VDISK.has(spec.handler)) return [];
  const names = Object.keys(spec.attributes)
    .filter((k) => DEVICE_ATTRS[k]?.create?.includes(spec.handler))
    .sort((a, b) => Number(a === 'cluster_mode') - Number(b === 'cluster_mode') || a.localeCompare(b));
  return names.map((k) => [k, format(DEVICE_ATTRS[k].type, spec.attributes[k])]);
}

function createDevice(dev: string, spec: DeviceSpec): Op[] {
  const params = createParams(spec);
  const command = `add_device ${dev}${params.length ? ` ${params.map(([k, v]) => `${k}=${v}`).join(';')}` : ''}`;
  const skip = new Set(params.map(([k]) => k));
  return [
    mgmt(sysPath.handlerMgmt(spec.handler), command, { path: sysPath.device(dev), exists: true }),
    ...initialWrites({ kind: 'scst.device', dir: sysPath.device(dev), attrs: spec.attributes, skip, handler: spec.handler }),
  ];
}

const deleteDevice = (dev: string, spec: DeviceSpec): Op =>
  mgmt(sysPath.handlerMgmt(spec.handler), `del_device ${dev}`, { path: sysPath.device(dev), exists: false });

/**
 * In-place changes. filename: active=0, write, active=1 (the kernel refuses it while active).
 * t10_dev_id while cluster_mode is on: cluster_mode=0 first, back to 1 after.
 */
function updateDevice(dev: string, change: Change): Op[] {
  const dir = sysPath.device(dev);
  const before = specOf<DeviceSpec>(change, 'before').attributes ?? {};
  const after = specOf<DeviceSpec>(change, 'after').attributes ?? {};
  const fields = [...change.fields].sort((a, b) => rank(a) - rank(b));
  const has = (name: string): FieldChange | undefined => fields.find((f) => f.field === `attributes.${name}`);
  const out: Op[] = [];
  const filename = has('filename');
  const liveActive = before.active !== false;
  const rest = fields.filter((f) => f !== filename && !(filename && f.field === 'attributes.active'));
  if (has('t10_dev_id') && before.cluster_mode === true) {
    out.push(write({ path: `${dir}/cluster_mode`, kind: 'scst.device', attr: 'cluster_mode', value: false, before: true }));
    if (!has('cluster_mode') && after.cluster_mode !== false) rest.push({ field: 'attributes.cluster_mode', before: false, after: true, inPlace: true });
  }
  if (filename) {
    if (liveActive) out.push(write({ path: `${dir}/active`, kind: 'scst.device', attr: 'active', value: false, before: true }));
    out.push(...attrWrites('scst.device', dir, [filename]));
    if (after.active !== false) out.push(write({ path: `${dir}/active`, kind: 'scst.device', attr: 'active', value: true, before: false }));
  }
  out.push(...attrWrites('scst.device', dir, rest));
  return out;
}

/** cluster_mode goes last. */
const rank = (f: FieldChange): number => (f.field === 'attributes.cluster_mode' ? 1 : 0);

export function coreOps(change: Change): Op[] {
  if (change.action === 'delete') return [];
  if (change.action === 'create') {
    return initialWrites({ kind: 'scst.core', dir: sysPath.root(), attrs: specOf<{ attributes: Record<string, string> }>(change, 'after').attributes ?? {} });
  }
  return attrWrites('scst.core', sysPath.root(), change.fields);
}
