/**
 * observe(host): the live bcache state in a fixed number of tool calls: one `blkid -o export`
 * (every device's signature: which carry a bcache superblock, and what a create would destroy),
 * one readTree of /sys/fs/bcache (cache sets), one listing of /sys/class/block (which devices
 * exist), and one readTree of /sys/block/K/bcache per
 * device with a bcache superblock (no process started), and one `bcache-super-show` per bcache
 * superblock that is not registered (what registering it will give: its set, a backing device's mode).
 * Without the module: the layer is missing.
 */
import type { Resource } from '../../reconciler/core/resource.js';
import { isErrno } from '../../reconciler/core/errors.js';
import type { Host, TreeEntry } from '../../reconciler/host/host.js';
import { missingLayer } from '../../reconciler/stack/layer.js';
import { signaturesFrom } from '../../reconciler/stack/blkid.js';
import { parseHprint } from './hprint.js';
import type { CacheSpec, CacheStatus, DeviceSpec, DeviceStatus, LayerStatus, UnregisteredSb } from './kinds.js';
import { TUNABLES, addr } from './kinds.js';
import { kernelName } from '../../reconciler/stack/paths.js';

export const SYS_FS_BCACHE = '/sys/fs/bcache';

const treeMap = (t: TreeEntry[]) => new Map(t.map((e) => [e.path, e]));
const text = (m: Map<string, TreeEntry>, p: string) => (m.get(p)?.content ?? '').trim();
const selected = (s: string) => /\[([^\]]+)\]/.exec(s)?.[1] ?? s;

async function readTreeOrNone(host: Host, path: string): Promise<TreeEntry[] | undefined> {
  try {
    return await host.sysfs.readTree(path);
  } catch (e) {
    if (isErrno(e, 'ENOENT') || isErrno(e, 'ENOTDIR')) return undefined;
    throw e;
  }
}

async function listOrNone(host: Host, path: string): Promise<string[] | undefined> {
  try {
    return await host.sysfs.list(path);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return undefined;
    throw e;
  }
}

export async function observe(host: Host): Promise<Resource[]> {
  const sets = await readTreeOrNone(host, SYS_FS_BCACHE);
  if (!sets) {
    return [missingLayer('bcache', { unavailable: 'the bcache kernel module is not loaded (/sys/fs/bcache is missing)', hint: 'load it with modprobe bcache (ESOS loads it at boot)' })];
  }
  const blk = await host.exec(['blkid', '-o', 'export']);
  if (blk.exitCode === 127) return [missingLayer('bcache', { unavailable: 'blkid is not installed', hint: 'install util-linux (blkid)' })];
  const { signatures, probed } = signaturesFrom(blk);
  const present = await listOrNone(host, '/sys/class/block');
  const layer: LayerStatus = { signatures, ...(present ? { present: present.sort() } : {}) };
  const out: Resource[] = [{ address: addr.layer(), kind: 'bcache.layer', driver: 'bcache', spec: {}, status: { ...layer }, deps: [] }];
  const setTree = treeMap(sets);
  const registered = [...probed.entries()].filter(([, kv]) => kv.TYPE === 'bcache').map(([dev]) => kernelName(dev)).sort();
  const trees = await Promise.all(registered.map((k) => readTreeOrNone(host, `/sys/block/${k}/bcache`)));
  const unregistered: string[] = [];
  registered.forEach((k, i) => {
    const t = trees[i];
    if (!t) return void unregistered.push(k); // formatted, not registered
    const m = treeMap(t);
    if (m.has('set')) out.push(cacheResource(k, m));
    else if (m.has('cache_mode')) out.push(deviceResource(k, m, setTree));
  });
  // what a formatted, unregistered superblock says (its set; a backing device's mode): what registering it gives
  const shown = await Promise.all(unregistered.map((k) => host.exec(['bcache-super-show', `/dev/${k}`])));
  const superblocks: Record<string, UnregisteredSb> = {};
  unregistered.forEach((k, i) => {
    const sb = parseSuperShow(shown[i]!.exitCode === 0 ? shown[i]!.stdout : '');
    if (sb) superblocks[`/dev/${k}`] = sb;
  });
  if (Object.keys(superblocks).length) (out[0]!.status as Record<string, unknown>).superblocks = superblocks;
  return out;
}

/** `bcache-super-show`: a cache device's set; a backing device's cache state, mode and set (undefined for bad output). */
export function parseSuperShow(text: string): UnregisteredSb | undefined {
  const field = (k: string) => new RegExp(`^${k.replace(/\./g, '\\.')}\\s+(.*)$`, 'm').exec(text)?.[1]?.trim();
  const version = field('sb.version') ?? '';
  if (/\[cache device\]/.test(version)) {
    const set = field('cset.uuid');
    return { kind: 'cache', ...(set ? { setUuid: set } : {}) };
  }
  if (!/\[backing device\]/.test(version)) return undefined;
  const named = (v: string | undefined) => /\[(\w+)\]/.exec(v ?? '')?.[1];
  const state = named(field('dev.data.cache_state'));
  const mode = named(field('dev.data.cache_mode'));
  const setUuid = field('cset.uuid');
  return { kind: 'backing', ...(state ? { state } : {}), ...(mode ? { mode } : {}), ...(setUuid ? { setUuid } : {}) };
}

function cacheResource(k: string, m: Map<string, TreeEntry>): Resource {
  const setUuid = kernelName(m.get('set')?.target ?? '');
  return { address: addr.cache(k), kind: 'bcache.cache', driver: 'bcache', spec: { device: `/dev/${k}` } satisfies CacheSpec, status: { setUuid, kernelName: k } satisfies CacheStatus, deps: [] };
}

function deviceResource(k: string, m: Map<string, TreeEntry>, sets: Map<string, TreeEntry>): Resource {
  const running = text(m, 'running') === '1';
  const devLink = m.get('dev')?.target;
  const kname = running && devLink ? kernelName(devLink) : undefined;
  const label = text(m, 'label');
  const state = text(m, 'state');
  const setUuid = m.get('cache')?.target ? kernelName(m.get('cache')?.target as string) : undefined;
  const cacheDev = setUuid ? kernelName(sets.get(`${setUuid}/cache0`)?.target?.replace(/\/bcache$/, '') ?? '') : undefined;
  const attributes: Record<string, string> = {};
  for (const a of TUNABLES) if (m.has(a)) attributes[a] = text(m, a);
  const spec: DeviceSpec = { backing: `/dev/${k}`, mode: selected(text(m, 'cache_mode')) as DeviceSpec['mode'], attributes };
  if (cacheDev) spec.cache = `/dev/${cacheDev}`;
  const status: DeviceStatus = { backingKernel: k, state, dirtyBytes: parseHprint(text(m, 'dirty_data')) ?? 0, label };
  if (kname) status.kernelName = kname;
  if (setUuid) status.setUuid = setUuid;
  const name = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/.test(label) ? label : (kname ?? `on-${k}`);
  if ((state === 'clean' || state === 'dirty') && !setUuid) {
    status.fault = running
      ? `its cache device went away: /dev/${kname} runs uncached with the backing device's data ${state === 'dirty' ? 'missing the dirty blocks the cache held' : 'intact'}`
      : `its cache device went away: the backing device /dev/${k} waits for its cache set, /dev/${name} is down`;
  }
  return { address: addr.device(name), kind: 'bcache.device', driver: 'bcache', spec: spec as unknown as Record<string, unknown>, status: status as unknown as Record<string, unknown>, deps: [] };
}
