/**
 * ops(change, observed): the exact commands. A cache set: make-bcache -C with the set UUID the
 * plan chose, then register. A bcache device: make-bcache -B (with --writeback when asked), then
 * register, label it with its name (the superblock keeps it, so the name survives renumbering),
 * attach its cache set, set the mode and tunables. A device that already carries a bcache
 * superblock is registered, not formatted; one that carries another signature is wiped first
 * (only with an approval: the change is data-loss). Removal detaches, stops, wipes.
 */
import type { Change, Op } from '../../reconciler/core/change.js';
import type { Snapshot } from '../../reconciler/core/resource.js';
import { attrWrite } from './tunables.js';
import { isBcacheSignature, signatureOn } from './classify.js';
import type { CacheSpec, CacheStatus, DeviceSpec, DeviceStatus, LayerStatus } from './kinds.js';
import { addr, nameOf } from './kinds.js';
import { kernelName } from '../../reconciler/stack/paths.js';
import { planSetUuid } from './uuid.js';

const FS = '/sys/fs/bcache';
const REGISTER = `${FS}/register_quiet`;
const dirOf = (name: string) => `/sys/block/${name}/bcache`;

const superblock = (device: string, observed: Snapshot) => ((observed.resources.get(addr.layer())?.status ?? {}) as Partial<LayerStatus>).superblocks?.[device];

/** The set UUID of the cache set on `device`: the live one, the one its unregistered superblock carries, or the one the plan creates. */
export function setUuidFor(device: string, observed: Snapshot): string {
  const live = observed.resources.get(addr.cache(kernelName(device)))?.status as Partial<CacheStatus> | undefined;
  const sb = superblock(device, observed);
  return live?.setUuid ?? (sb?.kind === 'cache' ? sb.setUuid : undefined) ?? planSetUuid(device);
}

/** Wipe first when the device carries a foreign signature (the approved data-loss). */
function prepare(dev: string, observed: Snapshot): { wipe: Op[]; registerOnly: boolean } {
  const sig = signatureOn(observed, dev);
  if (isBcacheSignature(sig)) return { wipe: [], registerOnly: true };
  return { wipe: sig ? [{ type: 'exec', argv: ['wipefs', '-a', dev] }] : [], registerOnly: false };
}

function createCache(spec: CacheSpec, observed: Snapshot): Op[] {
  const uuid = setUuidFor(spec.device, observed);
  const { wipe, registerOnly } = prepare(spec.device, observed);
  return [
    ...wipe,
    ...(registerOnly ? [] : [{ type: 'exec', argv: ['make-bcache', '-C', spec.device, '--cset-uuid', uuid] } as Op]),
    { type: 'write', path: REGISTER, value: spec.device, verify: { path: `/sys/block/${kernelName(spec.device)}/bcache/set`, exists: true } },
  ];
}

function createDevice(name: string, spec: DeviceSpec, observed: Snapshot): Op[] {
  const dir = dirOf(name);
  const { wipe, registerOnly } = prepare(spec.backing, observed);
  const ops: Op[] = [...wipe];
  if (!registerOnly) ops.push({ type: 'exec', argv: ['make-bcache', '-B', spec.backing, ...(spec.mode === 'writeback' ? ['--writeback'] : [])] });
  ops.push({ type: 'write', path: REGISTER, value: spec.backing, verify: { path: `${dir}/backing_dev_name`, value: kernelName(spec.backing) } });
  ops.push({ type: 'write', path: `${dir}/label`, value: name, verify: { path: `${dir}/label`, value: name } });
  // a superblock that was already there keeps its set and mode: the kernel attaches it to its set
  // of the same UUID when both are registered. One of another set (formatted, then interrupted
  // before attach) is attached here; a mode other than the file's is set (bcache-super-show said
  // which, at observe)
  if (registerOnly) {
    const sb = superblock(spec.backing, observed);
    const want = spec.cache ? setUuidFor(spec.cache, observed) : undefined;
    if (sb?.kind === 'backing' && want && sb.setUuid !== want) ops.push({ type: 'write', path: `${dir}/attach`, value: want, verify: { path: `${dir}/cache`, exists: true } });
    if (sb?.kind === 'backing' && spec.mode && sb.mode !== spec.mode) ops.push(modeOp(dir, spec.mode));
    return [...ops, ...Object.entries(spec.attributes ?? {}).map(([k, v]) => attrWrite(dir, k, v))];
  }
  if (spec.cache) ops.push({ type: 'write', path: `${dir}/attach`, value: setUuidFor(spec.cache, observed), verify: { path: `${dir}/cache`, exists: true } });
  if (spec.mode && spec.mode !== (spec.mode === 'writeback' ? 'writeback' : 'writethrough')) ops.push(modeOp(dir, spec.mode));
  for (const [k, v] of Object.entries(spec.attributes ?? {})) ops.push(attrWrite(dir, k, v));
  return ops;
}

const modeOp = (dir: string, mode: string): Op => ({ type: 'write', path: `${dir}/cache_mode`, value: mode });

function removeDevice(name: string, before: DeviceSpec, status: Partial<DeviceStatus>): Op[] {
  const dir = dirOf(status.kernelName ?? status.backingKernel ?? name);
  const ops: Op[] = [];
  if (status.setUuid) ops.push({ type: 'write', path: `${dir}/detach`, value: '1' });
  ops.push({ type: 'write', path: `${dir}/stop`, value: '1', verify: { path: `/sys/block/${status.backingKernel ?? kernelName(before.backing)}/bcache`, exists: false } });
  ops.push({ type: 'exec', argv: ['wipefs', '-a', before.backing] });
  return ops;
}

function removeCache(spec: CacheSpec, status: Partial<CacheStatus>): Op[] {
  const uuid = status.setUuid ?? planSetUuid(spec.device);
  return [
    { type: 'write', path: `${FS}/${uuid}/unregister`, value: '1', verify: { path: `${FS}/${uuid}`, exists: false } },
    { type: 'exec', argv: ['wipefs', '-a', spec.device] },
  ];
}

function updateDevice(change: Change, observed: Snapshot): Op[] {
  const name = nameOf(change.address);
  const st = (change.before?.status ?? {}) as Partial<DeviceStatus>;
  const dir = dirOf(st.kernelName ?? name);
  const after = change.after?.spec as unknown as DeviceSpec;
  const ops: Op[] = [];
  for (const f of change.fields) {
    if (f.field === 'cache') {
      if (f.before !== undefined) ops.push({ type: 'write', path: `${dir}/detach`, value: '1' });
      if (after.cache) ops.push({ type: 'write', path: `${dir}/attach`, value: setUuidFor(after.cache, observed), verify: { path: `${dir}/cache`, exists: true } });
    } else if (f.field === 'mode') ops.push(modeOp(dir, String(f.after)));
    else if (f.field.startsWith('attributes.')) {
      const k = f.field.slice('attributes.'.length);
      ops.push(attrWrite(dir, k, after.attributes?.[k] ?? ''));
    }
  }
  return ops;
}

export function ops(change: Change, observed: Snapshot): Op[] {
  const name = nameOf(change.address);
  if (change.kind === 'bcache.cache') {
    const before = change.before?.spec as unknown as CacheSpec;
    const after = change.after?.spec as unknown as CacheSpec;
    if (change.action === 'create') return createCache(after, observed);
    if (change.action === 'delete') return removeCache(before, (change.before?.status ?? {}) as Partial<CacheStatus>);
    if (change.action === 'replace') return [...removeCache(before, (change.before?.status ?? {}) as Partial<CacheStatus>), ...createCache(after, observed)];
    return [];
  }
  if (change.kind !== 'bcache.device') return [];
  const before = change.before?.spec as unknown as DeviceSpec;
  const after = change.after?.spec as unknown as DeviceSpec;
  const st = (change.before?.status ?? {}) as Partial<DeviceStatus>;
  switch (change.action) {
    case 'create':
      return createDevice(name, after, observed);
    case 'delete':
      return removeDevice(name, before, st);
    case 'replace':
      return [...removeDevice(name, before, st), ...createDevice(name, after, observed)];
    case 'update':
      return updateDevice(change, observed);
    default:
      return [];
  }
}
