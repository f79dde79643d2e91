/**
 * The bcache kernel module as seen from user space: `/sys/fs/bcache` (register, cache sets) and
 * `/sys/block/<dev>/bcache` of backing and cache devices, with bcacheN block devices appearing
 * and disappearing (kernel Documentation/admin-guide/bcache.rst, drivers/md/bcache/{super,sysfs}.c).
 *
 * Modelled: registration of backing and cache superblocks (EINVAL for a device that is missing,
 * busy, already registered or carries no bcache superblock; register_quiet succeeds quietly on an
 * already registered one); auto-attach of a backing device whose superblock names a registered
 * set, in either order; a previously attached backing device waiting (no bcacheN) until its
 * cache comes back; attach by set UUID (EINVAL for a bad UUID or when already attached, ENOENT
 * for an unknown set); detach (flushes dirty data at once, zeroes the set UUID); cache_mode
 * written to the superblock (EINVAL for an unknown mode); sequential_cutoff and the other
 * numeric tunables with the kernel's clamping and its hprint output; stop of a backing device
 * and unregister/stop of a cache set; bcacheN numbering (lowest free minor); holders/slaves.
 *
 * NOT modelled: I/O and statistics (stats_* read 0, dirty data only changes through
 * `setDirty`), the time a writeback flush takes (detach and unregister finish at once), udev
 * (nothing registers by itself after make-bcache: sanform writes register_quiet), flash-only
 * volumes, multiple caches per set, the writeback rate controller, io_error handling, label
 * uevents, partitions of bcacheN, a backing device started by force with `running`.
 */
import { ErrnoError } from '../../../reconciler/core/errors.js';
import { link, ro, rw, withParents, wo } from '../../sim/flat-tree.js';
import type { FlatTree } from '../../sim/flat-tree.js';
import { hprint } from '../hprint.js';
import type { BlockDevices } from '../../sim/block-devices.js';
import { canonical, kernelName } from '../../sim/block-devices.js';
import type { BackingSb, CacheSb } from './superblock.js';
import { CACHE_MODES, seededUuid } from './superblock.js';
import { superblockOf } from './tools.js';

/** Runtime tunables of a backing device: lost at reboot, re-applied by sanform. */
export interface BdevTunables {
  sequential_cutoff: number;
  writeback_percent: number;
  writeback_delay: number;
  writeback_running: number;
  readahead: number;
}

export interface BdevState {
  /** `bcache0`; set while the bcache device runs. */
  name?: string;
  dirtyBytes: number;
  tunables: BdevTunables;
}

export interface CsetState {
  cache: string;
  congested_read_threshold_us: number;
  congested_write_threshold_us: number;
  journal_delay_ms: number;
}

export interface BcacheState {
  loaded: boolean;
  /** registered backing devices by /dev path. */
  bdevs: Record<string, BdevState>;
  /** registered cache sets by set UUID. */
  sets: Record<string, CsetState>;
  /** counter behind the emulated tools' UUIDs (replayable). */
  uuidCounter: number;
}

export const initialBcacheState = (loaded = true): BcacheState => ({ loaded, bdevs: {}, sets: {}, uuidCounter: 0 });

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
const DEFAULT_TUNABLES: BdevTunables = { sequential_cutoff: 4 << 20, writeback_percent: 10, writeback_delay: 30, writeback_running: 1, readahead: 0 };
const UINT_MAX = 0xffffffff;

const einval = (path: string, message: string) => new ErrnoError('EINVAL', { path, message });

/** kstrtoul(buf, 10) clamped: the kernel's strtoul_safe_clamp. */
function strtoulClamp(path: string, data: string, min: number, max: number): number {
  const s = data.trim();
  if (!/^\+?\d+$/.test(s)) throw einval(path, `${path}: not a number: ${s}`);
  return Math.min(Math.max(Number(s), min), max);
}

export class BcacheKernel {
  constructor(
    readonly st: BcacheState,
    private readonly disks: BlockDevices,
    private readonly changed: () => void = () => {},
  ) {}

  /** A fresh UUID for the emulated tools (derived from a counter, so replays agree). */
  nextUuid(): string {
    this.st.uuidCounter++;
    this.changed();
    return seededUuid(`bcache:${this.st.uuidCounter}`);
  }

  /** Whether bcache holds the device open (registered as a backing or cache device). */
  isOpen(dev: string): boolean {
    return dev in this.st.bdevs || Object.values(this.st.sets).some((s) => s.cache === dev);
  }

  private backingSb(dev: string): BackingSb {
    return superblockOf(this.disks, dev) as BackingSb;
  }

  private setOf(dev: string): string | undefined {
    const sb = this.backingSb(dev);
    return sb.state !== 0 && sb.setUuid in this.st.sets ? sb.setUuid : undefined;
  }

  /** `echo DEV > /sys/fs/bcache/register[_quiet]`. */
  register(data: string, quiet: boolean): void {
    const dev = canonical(this.disks, data.trim());
    const path = quiet ? 'fs/bcache/register_quiet' : 'fs/bcache/register';
    if (!this.disks.get(dev)) throw einval(path, `error ${dev}: failed to open device`);
    if (this.isOpen(dev)) {
      if (quiet) return;
      throw einval(path, `error ${dev}: device already registered`);
    }
    if (this.disks.holders(dev).length) throw einval(path, `error ${dev}: device busy`);
    const sb = superblockOf(this.disks, dev);
    if (!sb) throw einval(path, `error ${dev}: Not a bcache superblock`);
    if (sb.kind === 'cache') this.registerCache(dev, sb);
    else this.registerBacking(dev);
    this.changed();
  }

  private registerCache(dev: string, sb: CacheSb): void {
    if (this.st.sets[sb.setUuid]) throw einval('fs/bcache/register', `error ${dev}: cache set already has a cache`);
    this.st.sets[sb.setUuid] = { cache: dev, congested_read_threshold_us: 2000, congested_write_threshold_us: 20000, journal_delay_ms: 100 };
    // run_cache_set: attach every registered backing device whose superblock names this set
    for (const [bdev, b] of Object.entries(this.st.bdevs)) {
      const bsb = this.backingSb(bdev);
      if (bsb.setUuid === sb.setUuid) {
        if (bsb.state === 0) bsb.state = 1;
        if (!b.name) this.run(bdev);
      }
    }
  }

  private registerBacking(dev: string): void {
    const sb = this.backingSb(dev);
    this.st.bdevs[dev] = { dirtyBytes: 0, tunables: { ...DEFAULT_TUNABLES } };
    if (sb.setUuid in this.st.sets) {
      if (sb.state === 0) sb.state = 1;
      this.run(dev);
    } else if (sb.state === 0) {
      this.run(dev);
    }
    // attached before (clean or dirty) and its cache set is not here: it waits, no bcacheN
  }

  /** bch_cached_dev_run: bcacheN appears over the backing device. */
  private run(dev: string): void {
    const used = new Set(Object.values(this.st.bdevs).map((b) => b.name));
    let n = 0;
    while (used.has(`bcache${n}`)) n++;
    const name = `bcache${n}`;
    const b = this.st.bdevs[dev] as BdevState;
    b.name = name;
    const size = this.disks.get(dev)?.sizeBytes ?? 0;
    this.disks.add({ path: `/dev/${name}`, sizeBytes: size - this.backingSb(dev).dataOffset * 512 }, [dev]);
  }

  private stopBacking(dev: string): void {
    const b = this.st.bdevs[dev];
    if (!b) return;
    if (b.name) this.disks.remove(`/dev/${b.name}`);
    delete this.st.bdevs[dev];
  }

  private attach(dev: string, data: string): void {
    const path = `block/${kernelName(dev)}/bcache/attach`;
    const uuid = data.trim().toLowerCase();
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(uuid)) throw einval(path, `${path}: not a UUID`);
    const set = this.st.sets[uuid];
    if (!set) throw new ErrnoError('ENOENT', { path, message: `Can't attach ${uuid}: cache set not found` });
    if (this.setOf(dev)) throw einval(path, `Can't attach ${kernelName(dev)}: already attached`);
    const csb = superblockOf(this.disks, set.cache) as CacheSb;
    const sb = this.backingSb(dev);
    if (sb.blockSize < csb.blockSize) throw einval(path, `Couldn't attach ${kernelName(dev)}: block size less than set's block size`);
    sb.setUuid = uuid;
    sb.state = 1;
    if (!this.st.bdevs[dev]?.name) this.run(dev);
  }

  private detach(dev: string): void {
    if (!this.setOf(dev)) return;
    const sb = this.backingSb(dev);
    (this.st.bdevs[dev] as BdevState).dirtyBytes = 0;
    sb.setUuid = ZERO_UUID;
    sb.state = 0;
  }

  private stopSet(uuid: string, unregister: boolean): void {
    for (const [bdev, b] of Object.entries(this.st.bdevs)) {
      const sb = this.backingSb(bdev);
      if (sb.setUuid !== uuid || sb.state === 0) continue;
      if (unregister) this.detach(bdev);
      else if (b.dirtyBytes > 0) this.stopBacking(bdev); // stop_when_cache_set_failed=auto
    }
    delete this.st.sets[uuid];
  }

  /** Test and sim control: dirty data a writeback cache holds for the backing device. */
  setDirty(dev: string, bytes: number): void {
    const b = this.st.bdevs[dev];
    if (!b || !this.setOf(dev)) throw new Error(`${dev}: no attached bcache backing device`);
    b.dirtyBytes = bytes;
    this.backingSb(dev).state = bytes > 0 ? 2 : 1;
    this.changed();
  }

  /** The cache device vanished (pulled, failed): its set goes, attached devices lose it. */
  cacheGone(dev: string): void {
    for (const [uuid, s] of Object.entries(this.st.sets)) if (s.cache === dev) delete this.st.sets[uuid];
    this.changed();
  }

  /** The tree under /sys, relative paths (`fs/bcache/...`, `block/...`); empty without the module. */
  tree(): FlatTree {
    const t: FlatTree = new Map();
    if (!this.st.loaded) return withParents(t);
    const w = (fn: (d: string) => void) => (d: string) => {
      fn(d);
      this.changed();
    };
    t.set('fs/bcache/register', wo(w((d) => this.register(d, false))));
    t.set('fs/bcache/register_quiet', wo(w((d) => this.register(d, true))));
    for (const [uuid, s] of Object.entries(this.st.sets)) this.setTree(t, uuid, s, w);
    for (const [dev, b] of Object.entries(this.st.bdevs)) this.bdevTree(t, dev, b, w);
    return withParents(t);
  }

  private setTree(t: FlatTree, uuid: string, s: CsetState, w: (fn: (d: string) => void) => (d: string) => void): void {
    const base = `fs/bcache/${uuid}`;
    const csb = superblockOf(this.disks, s.cache) as CacheSb;
    const cdev = kernelName(s.cache);
    t.set(`${base}/cache0`, link(`../../../block/${cdev}/bcache`));
    t.set(`${base}/block_size`, ro(() => `${hprint(csb.blockSize * 512)}\n`));
    t.set(`${base}/bucket_size`, ro(() => `${hprint(csb.bucketSize * 512)}\n`));
    t.set(`${base}/cache_available_percent`, ro(() => '100\n'));
    for (const k of ['congested_read_threshold_us', 'congested_write_threshold_us', 'journal_delay_ms'] as const) {
      t.set(`${base}/${k}`, rw(() => `${s[k]}\n`, w((d) => (s[k] = strtoulClamp(`${base}/${k}`, d, 0, UINT_MAX)))));
    }
    t.set(`${base}/stop`, wo(w(() => this.stopSet(uuid, false))));
    t.set(`${base}/unregister`, wo(w(() => this.stopSet(uuid, true))));
    let i = 0;
    for (const dev of Object.keys(this.st.bdevs)) if (this.setOf(dev) === uuid) t.set(`${base}/bdev${i++}`, link(`../../../block/${kernelName(dev)}/bcache`));
    const cbase = `block/${cdev}/bcache`;
    t.set(`${cbase}/set`, link(`../../../fs/bcache/${uuid}`));
    t.set(`${cbase}/nbuckets`, ro(() => `${csb.nbuckets}\n`));
    t.set(`${cbase}/bucket_size`, ro(() => `${hprint(csb.bucketSize * 512)}\n`));
    t.set(`${cbase}/block_size`, ro(() => `${hprint(csb.blockSize * 512)}\n`));
    t.set(`${cbase}/discard`, rw(() => `${csb.discard ? 1 : 0}\n`, w((d) => (csb.discard = strtoulClamp(`${cbase}/discard`, d, 0, 1) === 1))));
    t.set(`${cbase}/cache_replacement_policy`, rw(() => `${['lru', 'fifo', 'random'].map((p, j) => (j === csb.replacement ? `[${p}]` : p)).join(' ')}\n`, w((d) => {
      const j = ['lru', 'fifo', 'random'].indexOf(d.trim());
      if (j < 0) throw einval(`${cbase}/cache_replacement_policy`, `unknown policy ${d.trim()}`);
      csb.replacement = j;
    })));
  }

  private bdevTree(t: FlatTree, dev: string, b: BdevState, w: (fn: (d: string) => void) => (d: string) => void): void {
    const name = kernelName(dev);
    const base = `block/${name}/bcache`;
    const sb = this.backingSb(dev);
    const set = this.setOf(dev);
    t.set(`${base}/attach`, wo(w((d) => this.attach(dev, d))));
    t.set(`${base}/detach`, wo(w(() => this.detach(dev))));
    t.set(`${base}/stop`, wo(w(() => this.stopBacking(dev))));
    t.set(`${base}/clear_stats`, wo(() => {}));
    t.set(`${base}/cache_mode`, rw(() => `${CACHE_MODES.map((m, i) => (i === sb.cacheMode ? `[${m}]` : m)).join(' ')}\n`, w((d) => {
      const i = (CACHE_MODES as readonly string[]).indexOf(d.trim());
      if (i < 0) throw einval(`${base}/cache_mode`, `unknown cache mode ${d.trim()}`);
      sb.cacheMode = i;
    })));
    t.set(`${base}/sequential_cutoff`, rw(() => `${hprint(b.tunables.sequential_cutoff)}\n`, w((d) => (b.tunables.sequential_cutoff = strtoulClamp(`${base}/sequential_cutoff`, d, 0, UINT_MAX)))));
    t.set(`${base}/writeback_percent`, rw(() => `${b.tunables.writeback_percent}\n`, w((d) => (b.tunables.writeback_percent = strtoulClamp(`${base}/writeback_percent`, d, 0, 70)))));
    t.set(`${base}/writeback_delay`, rw(() => `${b.tunables.writeback_delay}\n`, w((d) => (b.tunables.writeback_delay = strtoulClamp(`${base}/writeback_delay`, d, 0, UINT_MAX)))));
    t.set(`${base}/writeback_running`, rw(() => `${b.tunables.writeback_running}\n`, w((d) => (b.tunables.writeback_running = strtoulClamp(`${base}/writeback_running`, d, 0, UINT_MAX) ? 1 : 0))));
    t.set(`${base}/readahead`, rw(() => `${hprint(b.tunables.readahead)}\n`, w((d) => (b.tunables.readahead = strtoulClamp(`${base}/readahead`, d, 0, UINT_MAX)))));
    t.set(`${base}/dirty_data`, ro(() => `${hprint(b.dirtyBytes)}\n`));
    t.set(`${base}/state`, ro(() => `${['no cache', 'clean', 'dirty', 'inconsistent'][sb.state]}\n`));
    t.set(`${base}/running`, ro(() => `${b.name ? 1 : 0}\n`));
    t.set(`${base}/label`, rw(() => `${sb.label}\n`, w((d) => {
      if (d.length > 32) throw einval(`${base}/label`, 'label longer than 32 bytes');
      sb.label = d.replace(/\n$/, '');
    })));
    t.set(`${base}/backing_dev_name`, ro(() => `${name}\n`));
    t.set(`${base}/backing_dev_uuid`, ro(() => `${sb.uuid}\n`));
    if (set) t.set(`${base}/cache`, link(`../../../fs/bcache/${set}`));
    if (b.name) {
      t.set(`${base}/dev`, link(`../../${b.name}`));
      t.set(`block/${b.name}/bcache`, link(`../${name}/bcache`));
      t.set(`block/${b.name}/slaves/${name}`, link(`../../${name}`));
      t.set(`block/${b.name}/size`, ro(() => `${Math.floor((this.disks.get(`/dev/${b.name}`)?.sizeBytes ?? 0) / 512)}\n`));
    }
  }
}
