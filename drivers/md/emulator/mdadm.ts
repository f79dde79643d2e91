/**
 * `mdadm` over the emulated disks (mdadm 4.x command lines and messages as far as this emulator
 * goes; what it does not model is listed in index.ts). Every command either changes the state
 * completely or not at all.
 */
import { createHash } from 'node:crypto';
import type { ExecResult } from '../../../reconciler/host/host.js';
import { kernelName } from '../../sim/stack/disks.js';
import type { StackEnv } from '../../sim/stack/layer.js';
import { DATA_OFFSET, MIN_DEVICES, active, arraySize, degraded, type MdArray, type MdLevel, type MdState } from './state.js';

const LEVELS: readonly MdLevel[] = ['raid0', 'raid1', 'raid4', 'raid5', 'raid6', 'raid10', 'linear'];
const CHUNKED = new Set<MdLevel>(['raid0', 'raid4', 'raid5', 'raid6', 'raid10']);

class MdadmError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
const fail = (msg: string, code = 1): never => {
  throw new MdadmError(`mdadm: ${msg}`, code);
};

/** `--level=raid6`, `-l 6`, `--level 6` -> value; returns the flags and the positionals. */
function parse(args: string[]): { opts: Map<string, string>; flags: Set<string>; pos: string[]; manage: [string, string][] } {
  const opts = new Map<string, string>();
  const flags = new Set<string>();
  const pos: string[] = [];
  const manage: [string, string][] = [];
  const short: Record<string, string> = { '-l': '--level', '-n': '--raid-devices', '-c': '--chunk', '-e': '--metadata', '-N': '--name', '-x': '--spare-devices', '-z': '--size', '-a': '--add', '-r': '--remove', '-f': '--fail', '-C': '--create', '-S': '--stop', '-D': '--detail', '-G': '--grow', '-R': '--run', '-u': '--uuid' };
  const valued = new Set(['--level', '--raid-devices', '--chunk', '--metadata', '--name', '--spare-devices', '--size', '--uuid', '--homehost']);
  const managing = new Set(['--add', '--remove', '--fail', '--re-add']);
  let mode: string | undefined;
  for (let i = 0; i < args.length; i++) {
    let a = args[i]!;
    let v: string | undefined;
    if (a.startsWith('--') && a.includes('=')) [a, v] = [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)];
    a = short[a] ?? a;
    if (valued.has(a)) {
      v ??= args[++i];
      if (v === undefined) fail(`option ${a} requires an argument`, 2);
      opts.set(a, v!);
    } else if (managing.has(a)) mode = a;
    else if (a.startsWith('-')) flags.add(a);
    else if (mode) manage.push([mode, a]);
    else pos.push(a);
  }
  return { opts, flags, pos, manage };
}

/** `512K`, `64k`, `1M`, `512` (KiB) -> bytes. */
function chunkBytes(s: string): number {
  const m = /^(\d+)([KkMm]?)$/.exec(s);
  if (!m) return fail(`invalid chunk/rounding value: ${s}`, 2);
  return Number(m[1]) * (m[2]?.toLowerCase() === 'm' ? 1024 * 1024 : 1024);
}

const levelOf = (s: string): MdLevel => {
  const l = (/^\d+$/.test(s) ? `raid${s}` : s) as MdLevel;
  return LEVELS.includes(l) ? l : fail(`invalid raid level: ${s}`, 2);
};

/** A uuid from a seed, in mdadm's form (4 groups of 8 hex digits). */
export function mdUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return [0, 8, 16, 24].map((i) => h.slice(i, i + 8)).join(':');
}
/** mdadm's uuid in blkid's form (8-4-4-4-12). */
const blkidUuid = (u: string): string => {
  const h = u.replaceAll(':', '');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

export class Mdadm {
  constructor(
    private readonly env: StackEnv,
    private readonly hostname: string,
  ) {}

  private get st(): MdState {
    return this.env.state<MdState>();
  }

  /** The array a path names: `/dev/md0`, `/dev/md/data`, `md0`. */
  find(path: string): MdArray | undefined {
    const real = this.env.disks.resolve(path) ?? path;
    return this.st.arrays[kernelName(real)] ?? Object.values(this.st.arrays).find((a) => `/dev/md/${a.name}` === path);
  }

  run(args: string[]): ExecResult {
    try {
      return { exitCode: 0, stdout: this.dispatch(args), stderr: this.notes.join('') };
    } catch (e) {
      if (!(e instanceof MdadmError)) throw e;
      return { exitCode: e.exitCode, stdout: '', stderr: `${this.notes.join('')}${e.message}\n` };
    }
  }

  private notes: string[] = [];
  private note(s: string): void {
    this.notes.push(`mdadm: ${s}\n`);
  }

  private dispatch(args: string[]): string {
    const p = parse(args);
    if (p.flags.has('--version') || p.flags.has('-V')) {
      this.note('mdadm - v4.2 - 2021-12-30 (emulated)');
      return '';
    }
    if (p.flags.has('--create')) return this.create(p);
    if (p.flags.has('--stop')) return this.stop(p.pos);
    if (p.flags.has('--zero-superblock')) return this.zero(p.pos);
    if (p.flags.has('--detail')) return this.detail(p.pos, p.flags);
    if (p.flags.has('--grow')) return this.grow(p.pos[0], p.opts);
    if (p.manage.length > 0) return this.manage(p.pos[0], p.manage);
    return fail('an md device must be given in this mode', 2);
  }

  private member(path: string): string {
    const d = this.env.disks.get(path);
    if (!d) return fail(`cannot open ${path}: No such file or directory`);
    const busy = this.env.disks.holders(path).length > 0 || this.env.openBy(path);
    if (busy) fail(`cannot open ${path}: Device or resource busy`);
    return d.path;
  }

  private create(p: ReturnType<typeof parse>): string {
    const dev = p.pos[0] ?? fail('an md device must be given in this mode', 2);
    const devs = p.pos.slice(1);
    const level = levelOf(p.opts.get('--level') ?? fail('no raid level given', 2));
    const n = Number(p.opts.get('--raid-devices') ?? fail('no raid-devices specified.', 2));
    const spares = Number(p.opts.get('--spare-devices') ?? 0);
    if (!Number.isInteger(n) || n < 1) fail(`invalid number of raid devices: ${p.opts.get('--raid-devices')}`, 2);
    if (n < MIN_DEVICES[level]) fail(`at least ${MIN_DEVICES[level]} raid-devices needed for level ${level.replace('raid', '')}`, 2);
    if (devs.length > n + spares) fail(`You have listed more devices (${devs.length}) than are in the array(${n + spares})!`, 2);
    if (devs.length < n + spares) fail(`You haven't given enough devices (real or missing) to create this array`, 2);
    if (p.opts.has('--chunk') && !CHUNKED.has(level)) fail(`specifying chunk size is forbidden for this level`, 2);
    const metadata = p.opts.get('--metadata') ?? '1.2';
    if (!['1.0', '1.1', '1.2'].includes(metadata)) fail(`unrecognised metadata identifier: ${metadata}`, 2);
    let kernel: string;
    if (/^\/dev\/md\d+$/.test(dev)) kernel = kernelName(dev);
    else if (dev.startsWith('/dev/md/')) kernel = this.freeMinor();
    else return fail(`${dev} is an invalid name for an md device.  Try /dev/md/${kernelName(dev)}`, 2);
    const name = p.opts.get('--name') ?? (dev.startsWith('/dev/md/') ? dev.slice('/dev/md/'.length) : kernel.slice(2));
    if (this.st.arrays[kernel] || this.env.disks.get(`/dev/${kernel}`)) fail(`${dev} is already in use.`);
    if (Object.values(this.st.arrays).some((a) => a.name === name)) fail(`/dev/md/${name} is already in use.`);
    const paths = devs.map((d) => this.member(d));
    if (new Set(paths).size !== paths.length) fail(`${paths.find((x, i) => paths.indexOf(x) !== i)} is listed twice`, 2);
    const component = Math.min(...paths.map((x) => this.env.disks.get(x)!.sizeBytes)) - DATA_OFFSET;
    if (component <= 0) fail(`${paths[0]} is too small to be a member`);
    const chunk = CHUNKED.has(level) ? chunkBytes(p.opts.get('--chunk') ?? '512K') : 0;
    const uuid = p.opts.get('--uuid') ?? mdUuid(`${this.hostname}:${name}:${this.env.next('md-uuid')}`);
    if (!/^[0-9a-f]{8}(:[0-9a-f]{8}){3}$/.test(uuid)) fail(`invalid uuid: ${uuid}`, 2);
    const a: MdArray = {
      kernel, name, homehost: this.hostname, level, raidDisks: n, chunk, metadata, uuid, componentSize: Math.floor(component / 1024) * 1024,
      members: paths.map((path, i) => ({ path, role: i < n ? i : 'spare' })), syncAction: 'idle',
    };
    if (!p.opts.has('--metadata')) this.note('Defaulting to version 1.2 metadata');
    this.st.arrays[kernel] = a;
    for (const m of a.members) this.env.disks.setSignature(m.path, this.signature(a));
    this.env.disks.add({ path: `/dev/${kernel}`, sizeBytes: arraySize(a) }, active(a).map((m) => m.path), [`/dev/md/${name}`]);
    this.env.changed();
    this.note(`array ${dev} started.`);
    return '';
  }

  private signature(a: MdArray) {
    return { type: 'linux_raid_member', uuid: blkidUuid(a.uuid), label: `${a.homehost}:${a.name}`, offset: 0x1000, data: { uuid: a.uuid } };
  }

  private freeMinor(): string {
    for (let m = 127; m >= 0; m--) if (!this.st.arrays[`md${m}`] && !this.env.disks.get(`/dev/md${m}`)) return `md${m}`;
    return fail('no free md minor');
  }

  private need(dev: string | undefined): MdArray {
    if (!dev) return fail('an md device must be given in this mode', 2);
    return this.find(dev) ?? fail(`error opening ${dev}: No such file or directory`);
  }

  private stop(devs: string[]): string {
    for (const dev of devs) {
      const a = this.need(dev);
      const path = `/dev/${a.kernel}`;
      if (this.env.disks.holders(path).length > 0 || this.env.openBy(path)) {
        fail(`Cannot get exclusive access to ${dev}:Perhaps a running process, mounted filesystem or active volume group?`);
      }
      delete this.st.arrays[a.kernel];
      this.env.disks.remove(path);
      this.env.changed();
      this.note(`stopped ${dev}`);
    }
    return '';
  }

  private zero(devs: string[]): string {
    for (const d of devs) {
      if (!this.env.disks.get(d)) fail(`Couldn't open ${d} for write - not zeroing`);
      if (Object.values(this.st.arrays).some((a) => a.members.some((m) => m.path === this.env.disks.resolve(d)))) fail(`Couldn't open ${d} for write - not zeroing`);
      if (this.env.disks.signature(d)?.type === 'linux_raid_member') this.env.disks.setSignature(d, undefined);
      else fail(`Unrecognised md component device - ${d}`, 2);
    }
    return '';
  }

  private detail(devs: string[], flags: Set<string>): string {
    if (flags.has('--scan')) {
      return Object.values(this.st.arrays)
        .sort((x, y) => (x.name < y.name ? -1 : 1))
        .map((a) => `ARRAY /dev/md/${a.name} metadata=${a.metadata} name=${a.homehost}:${a.name} UUID=${a.uuid}\n`)
        .join('');
    }
    if (devs.length === 0) fail('No devices given.', 2);
    let out = '';
    for (const dev of devs) {
      const a = this.need(dev);
      if (!flags.has('--export')) fail('only --detail --export and --detail --scan are emulated', 2);
      out += `MD_LEVEL=${a.level}\nMD_DEVICES=${a.raidDisks}\nMD_METADATA=${a.metadata}\nMD_UUID=${a.uuid}\nMD_DEVNAME=${a.name}\nMD_NAME=${a.homehost}:${a.name}\n`;
      for (const m of [...a.members].sort((x, y) => (x.path < y.path ? -1 : 1))) {
        const key = m.path.slice(1).replace(/[^A-Za-z0-9]/g, '_');
        out += `MD_DEVICE_${key}_ROLE=${m.faulty ? 'faulty' : m.role}\nMD_DEVICE_${key}_DEV=${m.path}\n`;
      }
    }
    return out;
  }

  private manage(dev: string | undefined, steps: [string, string][]): string {
    const a = this.need(dev);
    const next = structuredClone(a);
    const sigs: [string, boolean][] = [];
    for (const [op, target] of steps) {
      const path = this.env.disks.resolve(target) ?? target;
      const m = next.members.find((x) => x.path === path);
      if (op === '--add' || op === '--re-add') {
        if (m) fail(`Cannot add ${target}: already a member of ${dev}`);
        this.member(target);
        if (this.env.disks.get(path)!.sizeBytes - DATA_OFFSET < next.componentSize) fail(`${target} not large enough to join array`);
        const slot = [...Array(next.raidDisks).keys()].find((i) => !next.members.some((x) => x.role === i && !x.faulty));
        next.members.push({ path, role: slot ?? 'spare' });
        
        sigs.push([path, true]);
        this.note(`added ${target}`);
      } else if (op === '--fail') {
        if (!m) fail(`set device faulty failed for ${target}:  No such device`);
        m!.faulty = true;
        this.note(`set ${target} faulty in ${dev}`);
      } else {
        if (!m) fail(`hot remove failed for ${target}: No such device or address`);
        if (m!.role !== 'spare' && !m!.faulty) fail(`hot remove failed for ${target}: Device or resource busy`);
        next.members = next.members.filter((x) => x !== m);
        sigs.push([path, false]);
        this.note(`hot removed ${target} from ${dev}`);
      }
    }
    this.commit(a, next);
    for (const [p, on] of sigs) if (on) this.env.disks.setSignature(p, this.signature(next));
    return '';
  }

  private grow(dev: string | undefined, opts: Map<string, string>): string {
    const a = this.need(dev);
    const next = structuredClone(a);
    if (opts.has('--raid-devices')) {
      const n = Number(opts.get('--raid-devices'));
      if (!Number.isInteger(n) || n < MIN_DEVICES[a.level]) fail(`invalid number of raid devices: ${opts.get('--raid-devices')}`, 2);
      if (n > a.raidDisks) {
        const spares = next.members.filter((m) => m.role === 'spare' && !m.faulty);
        const need = n - a.raidDisks + degraded(a);
        if (spares.length < need) fail(`Need ${need} spare${need === 1 ? '' : 's'} to avoid degraded array, and only have ${spares.length}.`);
        for (let i = a.raidDisks; i < n; i++) spares[i - a.raidDisks]!.role = i;
        
      } else if (n < a.raidDisks) {
        if (a.level !== 'raid1') fail(`this change will reduce the size of the array. use --grow --array-size first to truncate array. e.g. mdadm --grow ${dev} --array-size ${arraySize({ ...a, raidDisks: n })}`);
        if (active(a).filter((m) => (m.role as number) >= n).length > 0) fail(`Cannot reduce number of data disks (yet).`);
      }
      next.raidDisks = n;
    }
    if (opts.has('--chunk')) {
      if (!CHUNKED.has(a.level)) fail(`chunk size is not used for ${a.level}`, 2);
      next.chunk = chunkBytes(opts.get('--chunk')!);
    }
    if (opts.has('--size')) {
      if (opts.get('--size') !== 'max') fail('only --size=max is emulated', 2);
      next.componentSize = Math.floor((Math.min(...active(a).map((m) => this.env.disks.get(m.path)!.sizeBytes)) - DATA_OFFSET) / 1024) * 1024;
    }
    this.commit(a, next);
    return '';
  }

  /** Replaces an array by its changed form: block device size and slaves follow. */
  private commit(before: MdArray, next: MdArray): void {
    this.st.arrays[before.kernel] = next;
    const path = `/dev/${next.kernel}`;
    this.env.disks.resize(path, arraySize(next));
    this.env.disks.st.disks[path]!.slaves = active(next).map((m) => m.path);
    this.env.changed();
  }
}
