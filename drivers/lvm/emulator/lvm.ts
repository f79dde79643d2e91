/**
 * The LVM tools over the emulated disks: lvm2 2.03 command lines, exit codes and messages as far
 * as this emulator goes (what it does not model is listed in index.ts). Every command checks
 * everything first and then changes the state completely, or fails and changes nothing.
 */
import { createHash } from 'node:crypto';
import type { ExecResult } from '../../../reconciler/host/host.js';
import type { StackEnv } from '../../sim/stack/layer.js';
import { LvmError, checkLvName, checkVgName, declined, failed, getopt, lvArg, parseExtentsArg, parseSizeArg, usage } from './args.js';
import { allocOrFail, freeCount, pvExtents, type ExtentCtx } from './extents.js';
import { fullreport } from './report.js';
import {
  DEFAULT_EXTENT, MiB, dmName, humanSize, initialLvmState, lvBytes, lvExtents, lvPvs, usedRuns,
  type LvmLv, type LvmSeg, type LvmState, type LvmVg,
} from './state.js';

/** The tools answered in Host.exec (each also as `lvm TOOL ...`). */
export const LVM_TOOLS = ['pvcreate', 'pvremove', 'vgcreate', 'vgextend', 'vgreduce', 'vgremove', 'lvcreate', 'lvextend', 'lvreduce', 'lvremove', 'lvconvert', 'lvchange'] as const;

const CACHE_MODES = ['writethrough', 'writeback', 'passthrough'];
const CACHE_POLICIES = ['smq', 'mq', 'cleaner'];
/** dm-cache's default chunk and lvm2's chunk-count limit (allocation/cache_pool_max_chunks). */
const CACHE_CHUNK = 64 * 1024;
const MAX_CHUNKS = 1_000_000;
/** bytes of cache metadata per chunk and fixed overhead (lvm2's estimate, rounded up to extents). */
const META_PER_CHUNK = 44;
const META_OVERHEAD = 4 * MiB;

/** An LVM uuid (`NCZ9j3-bQX0-1eRx-JVv0-dbMV-IxsX-KAmC4d`) from a seed. */
export function lvmUuid(seed: string): string {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const h = createHash('sha256').update(seed).digest();
  const s = [...h.subarray(0, 32)].map((b) => abc[b % abc.length]).join('');
  return [6, 4, 4, 4, 4, 4, 6].reduce<{ at: number; parts: string[] }>((a, n) => ({ at: a.at + n, parts: [...a.parts, s.slice(a.at, a.at + n)] }), { at: 0, parts: [] }).parts.join('-');
}

const ok = (stdout: string): ExecResult => ({ exitCode: 0, stdout, stderr: '' });
const say = (...lines: string[]): string => lines.map((l) => `  ${l}\n`).join('');

export class Lvm {
  private readonly st: LvmState;

  constructor(private readonly env: StackEnv) {
    this.st = env.state<LvmState>() ?? initialLvmState();
  }

  run(argv: string[]): ExecResult {
    let [cmd, ...args] = argv as [string, ...string[]];
    if (cmd === 'lvm') {
      const sub = args[0];
      if (sub === undefined) return { exitCode: 3, stdout: '', stderr: '  No command specified (the lvm shell is not emulated).\n' };
      if (sub === 'version' || sub === '--version') return ok('  LVM version:     2.03.16(2) (2022-05-18)\n  Library version: 1.02.185 (2022-05-18)\n  Driver version:  4.48.0\n');
      if (sub === 'fullreport') return this.guard(() => fullreport(this.env, this.st, args.slice(1)));
      if (!(LVM_TOOLS as readonly string[]).includes(sub)) return { exitCode: 3, stdout: '', stderr: `  No such command '${sub}'.  Try 'help'.\n` };
      [cmd, ...args] = args as [string, ...string[]];
    }
    const fn: Record<string, (a: string[]) => string> = {
      pvcreate: (a) => this.pvcreate(a), pvremove: (a) => this.pvremove(a),
      vgcreate: (a) => this.vgcreate(a), vgextend: (a) => this.vgextend(a), vgreduce: (a) => this.vgreduce(a), vgremove: (a) => this.vgremove(a),
      lvcreate: (a) => this.lvcreate(a), lvextend: (a) => this.lvresize('lvextend', a), lvreduce: (a) => this.lvresize('lvreduce', a),
      lvremove: (a) => this.lvremove(a), lvconvert: (a) => this.lvconvert(a), lvchange: (a) => this.lvchange(a),
    };
    const f = fn[cmd];
    if (!f) return { exitCode: 127, stdout: '', stderr: `${cmd}: command not found\n` };
    return this.guard(() => f(args));
  }

  private guard(f: () => string): ExecResult {
    try {
      return ok(f());
    } catch (e) {
      if (e instanceof LvmError) return { exitCode: e.exitCode, stdout: e.stdout, stderr: e.message };
      throw e;
    }
  }

  private get ext(): ExtentCtx {
    return { st: this.st, env: this.env };
  }

  private changed(vg?: LvmVg): void {
    if (vg) vg.seqno++;
    this.env.changed();
  }

  // ------------------------------------------------------------------ lookups

  private vg(name: string): LvmVg {
    const vg = this.st.vgs[name];
    if (!vg) failed(`Volume group "${name}" not found`, `Cannot process volume group ${name}`);
    return vg!;
  }

  private lv(cmd: string, arg: string): [LvmVg, LvmLv] {
    const [v, l] = lvArg(cmd, arg);
    const vg = this.vg(v);
    const lv = vg.lvs[l];
    if (!lv || lv.hidden) {
      // lvm2's resize path words it differently from the other LV commands
      if (cmd === 'lvextend' || cmd === 'lvreduce') failed(`Logical volume ${l} not found in volume group ${v}.`);
      failed(`Failed to find logical volume "${v}/${l}"`);
    }
    return [vg, lv!];
  }

  /** Canonical path of an existing device, or lvm2's error. */
  private device(path: string): string {
    const p = this.env.disks.resolve(path);
    if (!p) failed(`No device found for ${path}.`);
    return p!;
  }

  private busy(path: string): string | undefined {
    const h = this.env.disks.holders(path);
    return h.length ? h.join(', ') : this.env.openBy(path);
  }

  // ------------------------------------------------------------------ PVs

  /** Checks that `path` can become a PV; returns what pvcreate prints when it wipes a signature. */
  private checkNewPv(path: string, yes: boolean, force: number, forVg?: string): string {
    const p = this.device(path);
    const pv = this.st.pvs[p];
    if (pv?.vg) {
      if (forVg !== undefined) failed(`Physical volume '${path}' is already in volume group '${pv.vg}'`, `Unable to add physical volume '${path}' to volume group '${pv.vg}'`, `${path}: physical volume not initialized.`);
      if (force < 2) failed(`Can't initialize physical volume "${path}" of volume group "${pv.vg}" without -ff`, `${path}: physical volume not initialized.`);
    }
    if (pv) return '';
    if (this.busy(p)) failed(`Can't open ${path} exclusively.  Mounted filesystem?`);
    const sig = this.env.disks.signature(p);
    if (sig && sig.type !== 'LVM2_member') {
      if (!yes) declined(`WARNING: ${sig.type} signature detected on ${path} at offset ${sig.offset}. Wipe it?`, `Aborted wiping of ${sig.type}.`, '1 existing signature left on the device.');
      return say(`Wiping ${sig.type} signature on ${path}.`);
    }
    return '';
  }

  private makePv(path: string): string {
    const p = this.device(path);
    if (!this.st.pvs[p]) {
      const uuid = lvmUuid(`pv:${p}:${this.env.next('lvm-uuid')}`);
      this.st.pvs[p] = { path: p, uuid, devSize: this.env.disks.get(p)!.sizeBytes };
      this.env.disks.setSignature(p, { type: 'LVM2_member', uuid, offset: 0x218 });
    }
    return say(`Physical volume "${path}" successfully created.`);
  }

  private pvcreate(args: string[]): string {
    const p = getopt('pvcreate', args, {}, { '-y': '--yes', '--yes': '--yes', '-f': '--force', '--force': '--force', '-q': '--quiet', '-v': '--verbose' });
    if (p.pos.length === 0) usage('pvcreate', 'Please enter a physical volume path.');
    let out = '';
    for (const d of p.pos) out += this.checkNewPv(d, p.flags.has('--yes'), p.flags.get('--force') ?? 0);
    for (const d of p.pos) {
      const pv = this.st.pvs[this.device(d)];
      if (pv?.vg) {
        const vg = this.st.vgs[pv.vg]!;
        vg.pvs = vg.pvs.filter((x) => x !== pv.path);
        delete pv.vg;
        this.changed(vg);
      }
      out += this.makePv(d);
    }
    this.changed();
    return out;
  }

  private pvremove(args: string[]): string {
    const p = getopt('pvremove', args, {}, { '-y': '--yes', '--yes': '--yes', '-f': '--force', '--force': '--force' });
    if (p.pos.length === 0) usage('pvremove', 'Please enter a physical volume path.');
    for (const d of p.pos) {
      const pv = this.st.pvs[this.device(d)];
      if (!pv) failed(`No PV found on device ${d}.`);
      if (pv!.vg && (p.flags.get('--force') ?? 0) < 2) failed(`PV ${d} is used by VG ${pv!.vg} so please use vgreduce first.`, '(If you are certain you need pvremove, then confirm by using --force twice.)', `${d}: physical volume label not removed.`);
    }
    let out = '';
    for (const d of p.pos) {
      const path = this.device(d);
      delete this.st.pvs[path];
      this.env.disks.setSignature(path, undefined);
      out += say(`Labels on physical volume "${d}" successfully wiped.`);
    }
    this.changed();
    return out;
  }

  // ------------------------------------------------------------------ VGs

  private vgcreate(args: string[]): string {
    const p = getopt('vgcreate', args, { '-s': '--physicalextentsize', '--physicalextentsize': '--physicalextentsize' }, { '-y': '--yes', '--yes': '--yes', '-f': '--force', '--force': '--force' });
    const [name, ...devs] = p.pos;
    if (!name) usage('vgcreate', 'Please provide volume group name and physical volumes');
    checkVgName('vgcreate', name!);
    if (devs.length === 0) usage('vgcreate', 'Please enter physical volume name(s)');
    let extent = DEFAULT_EXTENT;
    const s = p.opts.get('--physicalextentsize');
    if (s !== undefined) {
      extent = parseSizeArg('vgcreate', s).bytes;
      if (extent < 1024 || (extent & (extent - 1)) !== 0) usage('vgcreate', `Physical extent size must be a power of 2 of at least 1.00 KiB.`);
    }
    if (this.st.vgs[name!]) failed(`A volume group called ${name} already exists.`);
    let out = '';
    for (const d of devs) out += this.checkNewPv(d, p.flags.has('--yes'), 0, name);
    for (const d of devs) if (!this.st.pvs[this.device(d)]) out += this.makePv(d);
    const pvs = devs.map((d) => this.device(d));
    this.st.vgs[name!] = { name: name!, uuid: lvmUuid(`vg:${name}:${this.env.next('lvm-uuid')}`), extentSize: extent, pvs, lvs: {}, seqno: 1 };
    for (const pv of pvs) this.st.pvs[pv]!.vg = name!;
    this.changed();
    return out + say(`Volume group "${name}" successfully created`);
  }

  private vgextend(args: string[]): string {
    const p = getopt('vgextend', args, {}, { '-y': '--yes', '--yes': '--yes', '-f': '--force', '--force': '--force' });
    const [name, ...devs] = p.pos;
    if (!name || devs.length === 0) usage('vgextend', 'Please enter volume group name and physical volume(s)');
    const vg = this.vg(name!);
    let out = '';
    for (const d of devs) out += this.checkNewPv(d, p.flags.has('--yes'), 0, name);
    for (const d of devs) if (!this.st.pvs[this.device(d)]) out += this.makePv(d);
    for (const d of devs) {
      const path = this.device(d);
      this.st.pvs[path]!.vg = name!;
      vg.pvs.push(path);
    }
    this.changed(vg);
    return out + say(`Volume group "${name}" successfully extended`);
  }

  private vgreduce(args: string[]): string {
    const p = getopt('vgreduce', args, {}, {});
    const [name, ...devs] = p.pos;
    if (!name || devs.length === 0) usage('vgreduce', 'Please enter volume group name and physical volume(s)');
    const vg = this.vg(name!);
    const used = usedRuns(vg);
    for (const d of devs) {
      const path = this.env.disks.resolve(d) ?? d;
      if (!vg.pvs.includes(path)) failed(`Physical volume "${d}" not in volume group "${name}"`);
      if (used.get(path)?.length) failed(`Physical volume "${d}" still in use`);
    }
    if (devs.length >= vg.pvs.length) failed(`Can't remove final physical volume "${devs[devs.length - 1]}" from volume group "${name}"`);
    let out = '';
    for (const d of devs) {
      const path = this.env.disks.resolve(d) ?? d;
      vg.pvs = vg.pvs.filter((x) => x !== path);
      delete this.st.pvs[path]!.vg;
      out += say(`Removed "${d}" from volume group "${name}"`);
    }
    this.changed(vg);
    return out;
  }

  private vgremove(args: string[]): string {
    const p = getopt('vgremove', args, {}, { '-y': '--yes', '--yes': '--yes', '-f': '--force', '--force': '--force' });
    if (p.pos.length !== 1) usage('vgremove', 'Please enter one volume group name.');
    const name = p.pos[0]!;
    const vg = this.vg(name);
    const visible = Object.values(vg.lvs).filter((l) => !l.hidden);
    if (visible.length && !p.flags.has('--force')) {
      declined(`Do you really want to remove volume group "${name}" containing ${visible.length} logical volumes?`, `Volume group "${name}" not removed`);
    }
    for (const lv of Object.values(vg.lvs)) this.checkClosed(vg, lv);
    for (const lv of Object.values(vg.lvs)) this.deactivate(vg, lv);
    for (const pv of vg.pvs) if (this.st.pvs[pv]) delete this.st.pvs[pv].vg;
    delete this.st.vgs[name];
    this.changed();
    return say(`Volume group "${name}" successfully removed`);
  }

  // ------------------------------------------------------------------ extents

  /** PV arguments after VG/LV: must be PVs of the VG. */
  private pvList(vg: LvmVg, devs: string[]): string[] | undefined {
    if (devs.length === 0) return undefined;
    return devs.map((d) => {
      const p = this.env.disks.resolve(d) ?? d;
      if (!vg.pvs.includes(p)) failed(`Physical Volume "${d}" not found in Volume Group "${vg.name}".`);
      return p;
    });
  }

  /** Extents asked by -L/-l (absolute or relative to `current`), with the rounding message. */
  private extentsOf(cmd: string, vg: LvmVg, p: ReturnType<typeof getopt>, current: number, origin?: LvmLv): { n: number; note: string } {
    const L = p.opts.get('--size');
    const l = p.opts.get('--extents');
    if ((L === undefined) === (l === undefined)) usage(cmd, 'Please specify either size or extents but not both.');
    let note = '';
    let n: number;
    let sign: string;
    if (L !== undefined) {
      const s = parseSizeArg(cmd, L);
      sign = s.sign;
      n = Math.ceil(s.bytes / vg.extentSize);
      if (s.bytes % vg.extentSize) note = sign || current ? say(`Rounding size to boundary between physical extents: ${humanSize(n * vg.extentSize)}.`) : say(`Rounding up size to full physical extent ${humanSize(n * vg.extentSize)}`);
    } else {
      const e = parseExtentsArg(cmd, l!);
      sign = e.sign;
      const total = vg.pvs.reduce((a, pv) => a + pvExtents(this.ext, vg, pv), 0);
      const base = e.pct === 'FREE' ? freeCount(this.ext, vg) : e.pct === 'VG' || e.pct === 'PVS' ? total : e.pct === 'ORIGIN' ? (origin ? lvExtents(vg, origin) : 0) : 100;
      n = e.pct ? Math.floor((base * e.n) / 100) : e.n;
      if (e.pct === 'FREE' && !sign && cmd !== 'lvcreate') n += current;
    }
    if (sign === '+') n = current + n;
    if (sign === '-') n = current - n;
    return { n, note };
  }

  // ------------------------------------------------------------------ LVs

  private activate(vg: LvmVg, lv: LvmLv): void {
    const minor = lv.minor ?? this.env.next('dm') - 1;
    lv.active = true;
    lv.minor = minor;
    const size = lv.kind === 'snapshot' ? lvBytes(vg, vg.lvs[lv.origin!]!) : lvBytes(vg, lv);
    const slaves = lv.kind === 'snapshot' ? [...new Set([...lvPvs(vg, vg.lvs[lv.origin!]!), ...lvPvs(vg, lv)])] : lvPvs(vg, lv);
    this.env.disks.add({ path: `/dev/dm-${minor}`, sizeBytes: size }, slaves.filter((s) => this.env.disks.get(s)), [`/dev/${vg.name}/${lv.name}`, `/dev/mapper/${dmName(vg.name, lv.name)}`]);
  }

  private deactivate(vg: LvmVg, lv: LvmLv): void {
    if (!lv.active) return;
    this.env.disks.remove(`/dev/dm-${lv.minor}`);
    lv.active = false;
    delete lv.minor;
    void vg;
  }

  /** The device follows its LV: size and slaves (and its snapshots' sizes). */
  private refresh(vg: LvmVg, lv: LvmLv): void {
    if (lv.active) {
      const r = this.env.disks.record(`/dev/dm-${lv.minor}`);
      if (r) {
        r.sizeBytes = lv.kind === 'snapshot' ? lvBytes(vg, vg.lvs[lv.origin!]!) : lvBytes(vg, lv);
        r.slaves = lvPvs(vg, lv).filter((s) => this.env.disks.get(s));
      }
    }
    for (const s of Object.values(vg.lvs)) if (s.kind === 'snapshot' && s.origin === lv.name) this.refresh(vg, s);
  }

  /** An active LV that something holds open cannot be removed or deactivated. */
  private checkClosed(vg: LvmVg, lv: LvmLv): void {
    if (lv.active && this.busy(`/dev/dm-${lv.minor}`)) failed(`Logical volume ${vg.name}/${lv.name} in use.`);
  }

  private newLv(vg: LvmVg, lv: Omit<LvmLv, 'uuid'>): LvmLv {
    const full: LvmLv = { ...lv, uuid: lvmUuid(`lv:${vg.name}/${lv.name}:${this.env.next('lvm-uuid')}`) } as LvmLv;
    vg.lvs[lv.name] = full;
    return full;
  }

  private lvcreate(args: string[]): string {
    const cmd = 'lvcreate';
    const p = getopt(cmd, args,
      { '-L': '--size', '--size': '--size', '-l': '--extents', '--extents': '--extents', '-n': '--name', '--name': '--name', '--type': '--type', '-a': '--activate', '--activate': '--activate', '-Z': '--zero', '--zero': '--zero', '-W': '--wipesignatures', '--wipesignatures': '--wipesignatures', '--cachemode': '--cachemode', '--cachepolicy': '--cachepolicy' },
      { '-s': '--snapshot', '--snapshot': '--snapshot', '-y': '--yes', '--yes': '--yes', '-q': '--quiet' });
    const snapshot = p.flags.has('--snapshot') || p.opts.get('--type') === 'snapshot';
    const type = snapshot ? 'snapshot' : p.opts.get('--type') ?? 'linear';
    if (!['linear', 'striped', 'cache-pool', 'snapshot'].includes(type)) usage(cmd, `Logical volume type ${type} is not emulated (linear, cache-pool and snapshots are).`);
    const [target, ...devs] = p.pos;
    if (!target) usage(cmd, 'Please specify a volume group name.');
    const name = p.opts.get('--name');
    if (name !== undefined) checkLvName(cmd, name);
    if (snapshot) {
      const [vgName, originName] = lvArg(cmd, target!);
      if (name === undefined) usage(cmd, 'Please specify a name for the snapshot.');
      const vg = this.vg(vgName);
      const origin = vg.lvs[originName];
      if (!origin || origin.hidden) failed(`Failed to find logical volume "${vgName}/${originName}"`);
      if (origin!.kind === 'snapshot') failed(`Snapshots of snapshots are not supported.`);
      if (origin!.kind === 'cache-pool') failed(`Snapshots of cache pool volumes are not supported.`);
      if (!origin!.active) failed(`Can't create snapshot of inactive origin ${vgName}/${originName}.`);
      const { n, note } = this.extentsOf(cmd, vg, p, 0, origin);
      if (vg.lvs[name!]) throw new LvmError(say(`Logical Volume "${name}" already exists in volume group "${vgName}"`), 5, note);
      const segs = allocOrFail(this.ext, vg, Math.max(n, 1), this.pvList(vg, devs));
      const lv = this.newLv(vg, { name: name!, kind: 'snapshot', segs, origin: originName });
      this.activate(vg, lv);
      this.changed(vg);
      return note + say(`Logical volume "${name}" created.`);
    }
    if (target!.includes('/')) usage(cmd, `Inconsistent volume group names given: "${target!.slice(0, target!.indexOf('/'))}"`);
    const vg = this.vg(target!);
    const lvName = name ?? this.freeName(vg);
    const { n, note } = this.extentsOf(cmd, vg, p, 0);
    if (vg.lvs[lvName]) throw new LvmError(say(`Logical Volume "${lvName}" already exists in volume group "${vg.name}"`), 5, note);
    if (n <= 0) usage(cmd, 'Size must be larger than 0.');
    const only = this.pvList(vg, devs);
    if (type === 'cache-pool') return note + this.createPool(vg, lvName, n, only);
    const segs = allocOrFail(this.ext, vg, n, only);
    const lv = this.newLv(vg, { name: lvName, kind: 'linear', segs });
    if (!/^n/.test(p.opts.get('--activate') ?? 'y')) this.activate(vg, lv);
    this.changed(vg);
    return note + say(`Logical volume "${lvName}" created.`);
  }

  private freeName(vg: LvmVg): string {
    for (let i = 0; ; i++) if (!vg.lvs[`lvol${i}`] && !vg.lvs[`lvol${i}_pmspare`]) return `lvol${i}`;
  }

  /** `lvcreate --type cache-pool`: data and metadata sub-LVs, and the VG's spare metadata LV. */
  private createPool(vg: LvmVg, name: string, dataExtents: number, only?: string[]): string {
    let chunk = CACHE_CHUNK;
    const data = dataExtents * vg.extentSize;
    while (data / chunk > MAX_CHUNKS) chunk *= 2;
    const metaExtents = Math.ceil((META_OVERHEAD + Math.ceil(data / chunk) * META_PER_CHUNK) / vg.extentSize);
    const spare = Object.values(vg.lvs).find((l) => l.kind === 'pmspare');
    const spareMore = Math.max(0, metaExtents - (spare ? lvExtents(vg, spare) : 0));
    const taken: LvmSeg[] = [];
    const spareSegs = spareMore ? allocOrFail(this.ext, vg, spareMore, only) : [];
    taken.push(...spareSegs);
    const metaSegs = allocOrFail(this.ext, vg, metaExtents, only, taken);
    taken.push(...metaSegs);
    const dataSegs = allocOrFail(this.ext, vg, dataExtents, only, taken);
    if (spare) spare.segs.push(...spareSegs);
    else if (spareSegs.length) this.newLv(vg, { name: `${this.freeName(vg)}_pmspare`, kind: 'pmspare', segs: spareSegs, hidden: true });
    this.newLv(vg, { name: `${name}_cmeta`, kind: 'cmeta', segs: metaSegs, hidden: true, parent: name });
    this.newLv(vg, { name: `${name}_cdata`, kind: 'cdata', segs: dataSegs, hidden: true, parent: name });
    this.newLv(vg, { name, kind: 'cache-pool', segs: [], data: `${name}_cdata`, meta: `${name}_cmeta`, chunk });
    this.changed(vg);
    const note = chunk !== CACHE_CHUNK ? say(`Using ${humanSize(chunk)} chunk size instead of default ${humanSize(CACHE_CHUNK)}, so cache pool has less than ${MAX_CHUNKS} chunks.`) : '';
    return note + say(`Logical volume "${name}" created.`);
  }

  private lvresize(cmd: 'lvextend' | 'lvreduce', args: string[]): string {
    const p = getopt(cmd, args, { '-L': '--size', '--size': '--size', '-l': '--extents', '--extents': '--extents' },
      { '-f': '--force', '--force': '--force', '-y': '--yes', '--yes': '--yes', '-n': '--nofsck', '--nofsck': '--nofsck', '-q': '--quiet' });
    const [target, ...devs] = p.pos;
    if (!target) usage(cmd, 'Please provide the logical volume name');
    const [vg, lv] = this.lv(cmd, target!);
    const full = `${vg.name}/${lv.name}`;
    if (lv.kind === 'cache-pool') failed(`Unable to resize cache pool ${full}: remove the cache (lvconvert --splitcache) first.`);
    const cur = lvExtents(vg, lv);
    const { n, note } = this.extentsOf(cmd, vg, p, cur);
    if (n === cur) throw new LvmError(say(`New size (${n} extents) matches existing size (${cur} extents).`), 5, note);
    if (cmd === 'lvextend' && n < cur) throw new LvmError(say(`New size given (${n} extents) not larger than existing size (${cur} extents)`), 5, note);
    if (cmd === 'lvreduce' && n > cur) throw new LvmError(say(`New size given (${n} extents) not less than existing size (${cur} extents)`), 5, note);
    const data = lv.kind === 'cache' ? vg.lvs[lv.origin!]! : lv;
    if (n > cur) {
      const segs = allocOrFail(this.ext, vg, n - cur, this.pvList(vg, devs), [], data.segs);
      for (const s of segs) {
        const last = data.segs[data.segs.length - 1];
        if (last && last.pv === s.pv && last.start + last.count === s.start) last.count += s.count;
        else data.segs.push(s);
      }
    } else {
      if (Object.values(vg.lvs).some((s) => s.kind === 'snapshot' && s.origin === lv.name)) failed('Snapshot origin volumes cannot be reduced in size yet.');
      if (lv.kind === 'cache') failed(`Unable to reduce cached logical volume ${full}.`);
      if (lv.active && !p.flags.has('--force') && !p.flags.has('--yes')) {
        declined(`Do you really want to reduce ${full}?`, `Logical volume ${lv.name} NOT reduced.`);
      }
      let drop = cur - n;
      while (drop > 0) {
        const last = data.segs[data.segs.length - 1]!;
        const k = Math.min(last.count, drop);
        last.count -= k;
        drop -= k;
        if (last.count === 0) data.segs.pop();
      }
    }
    this.refresh(vg, lv);
    this.changed(vg);
    const was = `${humanSize(cur * vg.extentSize)} (${cur} extents)`;
    const now = `${humanSize(n * vg.extentSize)} (${n} extents)`;
    return note + say(`Size of logical volume ${full} changed from ${was} to ${now}.`, `Logical volume ${full} successfully resized.`);
  }

  /** Everything removing `lv` takes with it (sub-LVs, an attached pool, snapshots). */
  private closure(vg: LvmVg, lv: LvmLv): LvmLv[] {
    const out = [lv];
    if (lv.kind === 'cache-pool') out.push(vg.lvs[lv.data!]!, vg.lvs[lv.meta!]!);
    if (lv.kind === 'cache') out.push(vg.lvs[lv.origin!]!, ...this.closure(vg, vg.lvs[lv.pool!]!));
    for (const s of Object.values(vg.lvs)) if (s.kind === 'snapshot' && s.origin === lv.name) out.push(s);
    return out;
  }

  private dropLvs(vg: LvmVg, lvs: LvmLv[]): void {
    for (const l of lvs) {
      this.deactivate(vg, l);
      delete vg.lvs[l.name];
    }
    if (!Object.values(vg.lvs).some((l) => l.kind === 'cache-pool')) {
      for (const l of Object.values(vg.lvs)) if (l.kind === 'pmspare') delete vg.lvs[l.name];
    }
  }

  private lvremove(args: string[]): string {
    const cmd = 'lvremove';
    const p = getopt(cmd, args, {}, { '-f': '--force', '--force': '--force', '-y': '--yes', '--yes': '--yes', '-q': '--quiet' });
    if (p.pos.length === 0) usage(cmd, 'Please enter one or more logical volume paths.');
    const force = p.flags.has('--force') || p.flags.has('--yes');
    let out = '';
    for (const t of p.pos) {
      const [vg, lv] = this.lv(cmd, t);
      const gone = this.closure(vg, lv);
      for (const l of gone) this.checkClosed(vg, l);
      const snaps = gone.filter((l) => l.kind === 'snapshot' && l !== lv);
      if (!force && snaps.length) declined(`Removing origin ${lv.name} will also remove ${snaps.length} snapshots(s). Proceed?`, `Logical volume ${lv.name} not removed.`);
      if (!force && lv.active) declined(`Do you really want to remove active logical volume ${vg.name}/${lv.name}?`, `Logical volume ${lv.name} not removed.`);
      this.dropLvs(vg, gone);
      this.changed(vg);
      out += say(`Logical volume "${lv.name}" successfully removed.`);
    }
    return out;
  }

  private rename(vg: LvmVg, from: string, to: string): void {
    const lv = vg.lvs[from]!;
    delete vg.lvs[from];
    lv.name = to;
    vg.lvs[to] = lv;
  }

  private lvconvert(args: string[]): string {
    const cmd = 'lvconvert';
    const p = getopt(cmd, args, { '--type': '--type', '--cachepool': '--cachepool', '--cachemode': '--cachemode', '--cachepolicy': '--cachepolicy', '-Z': '--zero', '--zero': '--zero' },
      { '-y': '--yes', '--yes': '--yes', '-f': '--force', '--force': '--force', '--splitcache': '--splitcache', '--uncache': '--uncache', '-q': '--quiet' });
    if (p.pos.length !== 1) usage(cmd, 'Please specify one logical volume.');
    const [vg, lv] = this.lv(cmd, p.pos[0]!);
    const full = `${vg.name}/${lv.name}`;
    if (p.flags.has('--splitcache') || p.flags.has('--uncache')) {
      if (lv.kind !== 'cache') failed(`Logical volume ${full} is not cached.`);
      const corig = vg.lvs[lv.origin!]!;
      const poolName = lv.pool!.replace(/_cpool$/, '');
      lv.kind = 'linear';
      lv.segs = corig.segs;
      delete vg.lvs[corig.name];
      for (const k of ['origin', 'pool', 'mode', 'policy'] as const) delete lv[k];
      this.rename(vg, `${poolName}_cpool`, poolName);
      const pool = vg.lvs[poolName]!;
      delete pool.hidden;
      this.rename(vg, pool.data!, `${poolName}_cdata`);
      this.rename(vg, pool.meta!, `${poolName}_cmeta`);
      pool.data = `${poolName}_cdata`;
      pool.meta = `${poolName}_cmeta`;
      vg.lvs[pool.data]!.parent = poolName;
      vg.lvs[pool.meta]!.parent = poolName;
      if (p.flags.has('--uncache')) this.dropLvs(vg, this.closure(vg, pool));
      this.refresh(vg, lv);
      this.changed(vg);
      return p.flags.has('--uncache') ? say(`Logical volume "${full}" is not cached.`) : say(`Logical volume ${full} is not cached and ${vg.name}/${poolName} is unused.`);
    }
    if (p.opts.get('--type') !== 'cache' || !p.opts.has('--cachepool')) usage(cmd, 'Only --type cache --cachepool VG/POOL, --splitcache and --uncache are emulated.');
    const mode = p.opts.get('--cachemode') ?? 'writethrough';
    if (!CACHE_MODES.includes(mode)) usage(cmd, `Unknown cache mode: ${mode}.`);
    const policy = p.opts.get('--cachepolicy') ?? 'smq';
    if (!CACHE_POLICIES.includes(policy)) failed(`Unknown cache policy: ${policy}.`);
    const poolArg = p.opts.get('--cachepool')!;
    const [pvg, pname] = poolArg.includes('/') ? lvArg(cmd, poolArg) : [vg.name, poolArg];
    if (pvg !== vg.name) failed(`Cache pool ${poolArg} must be in volume group ${vg.name}.`);
    const pool = vg.lvs[pname];
    if (!pool || pool.hidden) failed(`Failed to find logical volume "${pvg}/${pname}"`);
    if (pool!.kind !== 'cache-pool') failed(`Logical volume ${pvg}/${pname} is not a cache pool (converting a plain LV into a pool is not emulated).`);
    if (pool === lv) failed(`Cannot use cache pool ${full} as the origin of its own cache.`);
    if (lv.kind === 'cache') failed(`Logical volume ${full} is already cached.`);
    if (lv.kind !== 'linear') failed(`Cache is not supported with LV type ${lv.kind} of ${full}.`);
    if (Object.values(vg.lvs).some((s) => s.kind === 'snapshot' && s.origin === lv.name)) failed(`Cannot cache ${full}: it has snapshots.`);
    if (!p.flags.has('--yes') && p.opts.get('--zero') !== 'n') {
      declined(`Do you want wipe existing metadata of cache pool ${pvg}/${pname}?`, 'Conversion aborted.', 'To preserve cache metadata add option "--zero n".', 'WARNING: Reusing mismatched cache pool metadata MAY DESTROY YOUR DATA!');
    }
    const cpool = `${pname}_cpool`;
    this.rename(vg, pool!.data!, `${cpool}_cdata`);
    this.rename(vg, pool!.meta!, `${cpool}_cmeta`);
    this.rename(vg, pname, cpool);
    Object.assign(pool!, { hidden: true, data: `${cpool}_cdata`, meta: `${cpool}_cmeta`, parent: lv.name });
    vg.lvs[`${cpool}_cdata`]!.parent = cpool;
    vg.lvs[`${cpool}_cmeta`]!.parent = cpool;
    this.newLv(vg, { name: `${lv.name}_corig`, kind: 'corig', segs: lv.segs, hidden: true, parent: lv.name });
    Object.assign(lv, { kind: 'cache', segs: [], origin: `${lv.name}_corig`, pool: cpool, mode, policy });
    this.refresh(vg, lv);
    this.changed(vg);
    return say(`Logical volume ${full} is now cached.`);
  }

  private lvchange(args: string[]): string {
    const cmd = 'lvchange';
    const p = getopt(cmd, args, { '--cachemode': '--cachemode', '--cachepolicy': '--cachepolicy', '-a': '--activate', '--activate': '--activate' }, { '-y': '--yes', '--yes': '--yes', '-q': '--quiet' });
    if (p.pos.length !== 1) usage(cmd, 'Please specify one logical volume.');
    const [vg, lv] = this.lv(cmd, p.pos[0]!);
    const full = `${vg.name}/${lv.name}`;
    const mode = p.opts.get('--cachemode');
    const policy = p.opts.get('--cachepolicy');
    const act = p.opts.get('--activate');
    if (mode === undefined && policy === undefined && act === undefined) usage(cmd, 'Need one or more command options.');
    if ((mode !== undefined || policy !== undefined) && lv.kind !== 'cache') failed(`Command on LV ${full} uses options that require LV types cache or cachepool.`);
    if (mode !== undefined && !CACHE_MODES.includes(mode)) usage(cmd, `Unknown cache mode: ${mode}.`);
    if (policy !== undefined && !CACHE_POLICIES.includes(policy)) failed(`Unknown cache policy: ${policy}.`);
    if (act !== undefined && !/^[yn]$|^ay$/.test(act)) usage(cmd, `Invalid argument for --activate: ${act}`);
    if (act === 'n') this.checkClosed(vg, lv);
    if (act !== undefined && lv.kind === 'cache-pool') failed(`Cannot change activation of cache pool ${full}.`);
    if (mode !== undefined) lv.mode = mode;
    if (policy !== undefined) lv.policy = policy;
    if (act === 'n') this.deactivate(vg, lv);
    else if (act !== undefined && !lv.active) this.activate(vg, lv);
    this.changed(vg);
    return mode !== undefined || policy !== undefined ? say(`Logical volume ${full} changed.`) : '';
  }
}
