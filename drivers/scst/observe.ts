/**
 * observe(host): one readTree of /sys/kernel/scst_tgt, normalized into resources of the same
 * shape as desired() produces. Sessions and hardware facts go to `status`; counters never do.
 */
import type { Host, ReadTreeOptions } from '../../reconciler/host/host.js';
import { SCST_ROOT } from '../../reconciler/host/host.js';
import type { Resource } from '../../reconciler/core/resource.js';
import { isErrno, SanformError } from '../../reconciler/core/errors.js';
import { fingerprint, hostFingerprinter, type Fingerprinter } from '../../reconciler/secrets.js';
import { addr } from './address.js';
import { CORE_ATTRS, CORE_STATUS_FILES, DEVICE_ATTRS, DEVICE_STATUS_FILES, SIZE_FOLLOWS_STORE, TG_ATTRS } from './attrs.js';
import { linkDeps } from './deps.js';
import { observeDrivers } from './observe-targets.js';
import { readAttrs } from './read-attrs.js';
import type { Add } from './read-attrs.js';
import { Tree, join } from './tree.js';

/** /sys/kernel/scst_tgt does not exist on the host, or is not SCST's: the SCST modules are not loaded. */
export class ScstNotLoadedError extends SanformError<'SCST_NOT_LOADED', { root: string; host: string }> {
  constructor(host: string, why: string, cause?: unknown) {
    super('SCST_NOT_LOADED', `no SCST on ${host}: ${SCST_ROOT} ${why}`, {
      data: { root: SCST_ROOT, host },
      hint: host.startsWith('local:') ? `${host.slice('local:'.length)} must hold a copy of SCST's sysfs tree (see sanform sim materialize)` : 'load scst and its handler and target modules first',
      cause,
    });
  }
}

/**
 * What observing never looks at, so readTree may leave it unread (about 12% of the entries and
 * 5,000 reads of the reference server): the handlers' contents (their names are listed) and the devices' back links (`exported/`
 * holds one link per LUN), SGV pool statistics, per-session LUN directories, help texts of mgmt
 * files, and the status files readAttrs skips by name (several are write-only: their read fails).
 * Every name here is one observeTree ignores; the test in observe-skip.test.ts checks that the
 * resources are the same with and without these options.
 */
export const OBSERVE_SKIP: ReadTreeOptions = {
  // nothing here reads permission bits: which attributes are writable comes from the kind of object
  modes: false,
  skipDirs: ['/handlers/*', '/sgv', '/devices/*/exported', '/targets/*/*/sessions/*/*'],
  skipContent: [
    'mgmt',
    ...[...CORE_STATUS_FILES].map((f) => `/${f}`),
    ...[...DEVICE_STATUS_FILES].map((f) => `/devices/*/${f}`),
    ...['version', 'open_state', 'trace_level', 'dif_capabilities'].map((f) => `/targets/*/${f}`),
    ...['tid', 'sg_tablesize', 'dif_capabilities', 'dif_checks_failed', 'trace_level'].map((f) => `/targets/*/*/${f}`),
    // an initiator file holds its own name: the listing says it all
    '/targets/*/*/ini_groups/*/initiators/*',
  ],
};

export async function observe(host: Host): Promise<Resource[]> {
  let entries;
  try {
    entries = await host.sysfs.readTree(SCST_ROOT, OBSERVE_SKIP);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) throw new ScstNotLoadedError(host.id, 'does not exist', e);
    throw e;
  }
  const tree = new Tree(entries);
  // SCST's root always holds these: anything else is some other directory
  if (!tree.has('handlers') || !tree.has('targets')) throw new ScstNotLoadedError(host.id, 'has no handlers/ or targets/: it is not SCST\'s sysfs tree');
  return observeTree(tree, hostFingerprinter(host.stateDir));
}

/**
 * the pure part of observe, for a tree already read; `fp` fingerprints CHAP secrets (default: keyed
 * for this process only, enough for comparisons within one run).
 */
export function observeTree(tree: Tree, fp: Fingerprinter = fingerprint): Resource[] {
  const out: Resource[] = [];
  // keys in canonical (sorted) order, here and in every spec: the snapshot hash then copies nothing
  const add = (r: Omit<Resource, 'driver' | 'deps'>): void => {
    const res: Resource = { address: r.address, deps: [], driver: 'scst', kind: r.kind, spec: r.spec };
    if ('status' in r) res.status = r.status;
    out.push(res);
  };
  // the handlers there are (one directory each, while its module is loaded): a file that needs
  // another one is unavailable here (lifecycle.ts)
  const handlers = tree.children('handlers', 'dir');
  add({ address: addr.core(), kind: 'scst.core', spec: { attributes: readAttrs(tree, '', CORE_ATTRS, CORE_STATUS_FILES) }, status: { handlers } });
  observeDevices(tree, add);
  observeDrivers(tree, add, fp);
  observeAlua(tree, add);
  linkDeps(out);
  return out;
}

function observeDevices(tree: Tree, add: Add): void {
  for (const dev of tree.children('devices', 'dir')) {
    const dir = `devices/${dev}`;
    const handler = tree.linkName(`${dir}/handler`);
    if (!handler) continue; // an unbound pass-through device: not an SCST device yet
    const attributes = readAttrs(tree, dir, DEVICE_ATTRS, DEVICE_STATUS_FILES);
    const status: Record<string, unknown> = {};
    if (SIZE_FOLLOWS_STORE.has(handler)) {
      const size = attributes.size;
      // a fact that follows the backing store; blockio's stays in the spec too, so a file that
      // pins it compares with the live value (unset, it is unmanaged like any attribute)
      if (handler !== 'vdisk_blockio') delete attributes.size;
      if (size !== undefined) status.size = size;
    }
    add({ address: addr.device(dev), kind: 'scst.device', spec: { attributes, handler }, status });
  }
}

function observeAlua(tree: Tree, add: Add): void {
  for (const dg of tree.children('device_groups', 'dir')) {
    const dir = `device_groups/${dg}`;
    add({ address: addr.dg(dg), kind: 'scst.alua-dg', spec: { attributes: readAttrs(tree, dir, {}, new Set()) } });
    for (const dev of tree.children(`${dir}/devices`, 'link')) {
      add({ address: addr.dgDevice(dg, dev), kind: 'scst.alua-device', spec: {} });
    }
    for (const tg of tree.children(`${dir}/target_groups`, 'dir')) {
      const tdir = `${dir}/target_groups/${tg}`;
      add({ address: addr.tg(dg, tg), kind: 'scst.alua-tg', spec: { attributes: readAttrs(tree, tdir, TG_ATTRS, new Set()) } });
      for (const name of tree.children(tdir)) {
        const e = tree.get(join(tdir, name));
        if (e?.type === 'link') {
          add({ address: addr.tgTarget(dg, tg, name), kind: 'scst.alua-tg-target', spec: { remote: false } });
        } else if (e?.type === 'dir') {
          const rel = tree.value(`${tdir}/${name}/rel_tgt_id`);
          const spec = { ...(rel ? { rel_tgt_id: Number(rel.value) } : {}), remote: true };
          add({ address: addr.tgTarget(dg, tg, name), kind: 'scst.alua-tg-target', spec });
        }
      }
    }
  }
}
