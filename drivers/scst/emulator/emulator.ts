/**
 * ScstEmulator: the SCST sysfs tree under /sys/kernel/scst_tgt as a small file system
 * (reference/scst-sysfs.md §1–§5, checklist §8), for SimHost, the FUSE mount and the tests.
 *
 * Modelled: every mgmt grammar and its errnos, [key] marks, relative symlinks, cascades, copy
 * manager auto LUNs, rel_tgt_id assignment, ALUA groups, iSCSI daemon and CHAP attributes,
 * hardware targets from a profile, the handlers and target drivers of the loaded modules only
 * (a profile's `modules`: scst_devt_sysfs_create and scst_tgtt_sysfs_create in scst_main.c run
 * when a module registers; scst_vdisk.c, scst_disk.c, scst_cdrom.c), sessions and access matching, backing-store checks, the
 * sysfs work queue's EAGAIN protocol (async mode, debug EAGAIN), 4096-byte limits, EACCES by mode.
 *
 * NOT modelled: timing (no 15 s waits, no I/O suspends, no draining of in-flight commands), real
 * I/O and SCSI commands (no UAs, no persistent reservations: pr_state is absent), statistics
 * (counters read 0), module parameters (auto_cm_assignment=1, forcibly_close_sessions=0,
 * scst_threads=4 are fixed), DIF files, NUMA, I/O suspension (`suspend` only counts), tracing
 * (trace_level keeps its tokens, nothing is logged; the default set is our choice; handlers/ have no trace_level file), the
 * `host` links' destinations (qla2x00t's point at made-up /sys/devices paths of the real shape, fc-hosts.ts), per-session lun dirs and iSCSI negotiated
 * parameters, legacy qla2x00t, handlers other than vdisk_* / vcdrom / dev_disk / dev_disk_perf / dev_cdrom,
 * work-item reads failing with EAGAIN (vdisk filename, trace_cmds), scst_local's SCSI hosts.
 */
import { ErrnoError } from '../../../reconciler/core/errors.js';
import { errnoName, errnoNumber as linuxErrno } from '../../../reconciler/host/errno.js';
import type { EmuStat, PersistentEmulator } from '../../sim/vfs.js';
import type { ReadTreeOptions, TreeEntry } from '../../../reconciler/host/host.js';
import { skipMatcher } from '../../../reconciler/host/tree-skip.js';
import type { HardwareProfile } from '../../sim/hardware.js';
import { defaultHardware } from '../../sim/hardware.js';
import type { Ctx, Node, Probe } from './node.js';
import type { ScstState } from './state.js';
import { fail } from './lexer.js';
import { rootDir } from './core.js';
import { handlerMgmt } from './devices-tree.js';
import { deviceGroupsMgmt } from './alua.js';
import { passThroughSeed } from './hardware-seed.js';
import { seedDrivers } from './targets.js';
import { liveProbe } from './backing.js';
import { Control } from './control.js';

/** Polls of last_sysfs_mgmt_res that answer EAGAIN before queued work completes (async mode). */
export const ASYNC_POLLS = 2;
const LIMIT = 4096;

/** Linux's number for an errno name (the full table: EBADSLT is 57); EIO for a name it lacks. */
export const errnoNumber = (name: string): number => linuxErrno(name) || linuxErrno('EIO');

/** A fresh state for a hardware profile: drivers, hardware targets, unbound SCSI devices. */
export function initialState(hw: HardwareProfile): ScstState {
  const st = {
    hardware: hw, core: {}, lastRes: 0, devices: {}, deviceGroups: {}, iscsid: true, nextTid: 1,
    relTgtIdCounter: 0, cmLunCounter: 0, unplugged: [],
    async: { on: false, debugEagain: false, pending: [], pollsLeft: 0, polls: 0 },
  } as unknown as ScstState;
  seedDrivers(st);
  passThroughSeed(st);
  return st;
}

export class ScstEmulator implements PersistentEmulator {
  readonly st: ScstState;
  /** backing-store oracle; SimHost swaps it to record or replay results. */
  probe: (path: string) => Probe;
  /** bumped on every state change (SimHost's persistence logs an operation when it moves). */
  generation = 0;
  readonly control: Control;
  private readonly ctx: Ctx;

  constructor(opts: { hardware?: HardwareProfile; state?: ScstState } = {}) {
    this.st = opts.state ?? initialState(opts.hardware ?? defaultHardware());
    this.probe = liveProbe(this.st.hardware);
    this.ctx = { st: this.st, probe: (p) => this.probe(p) };
    this.control = new Control(this.st, () => this.generation++);
  }

  static fromJSON(state: unknown): ScstEmulator {
    return new ScstEmulator({ state: state as ScstState });
  }

  toJSON(): unknown {
    return this.st;
  }

  private root(): Node {
    return rootDir(this.ctx, {
      lastRes: () => this.lastRes(),
      handlerMgmt: (h, c) => handlerMgmt(this.ctx, h, c),
      dgMgmt: (c) => deviceGroupsMgmt(this.st, c),
    });
  }

  /** Walks a path; links in the middle are followed, the last one only if `follow`. */
  resolve(path: string, follow = true): Node {
    let parts = path.split('/').filter((p) => p !== '' && p !== '.');
    let node = this.root();
    let here: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      if (node.type !== 'dir') fail(node.type === 'file' ? 'ENOTDIR' : 'ENOENT', path);
      const next = node.child(parts[i]);
      if (!next) fail('ENOENT', `${path}: no such file or directory`);
      if (next.type === 'link' && (follow || i < parts.length - 1)) {
        const target = [...here];
        for (const seg of next.target.split('/')) {
          if (seg === '..') {
            if (!target.length) fail('ENOENT', `${path}: link leaves scst_tgt`);
            target.pop();
          } else if (seg && seg !== '.') target.push(seg);
        }
        parts = [...target, ...parts.slice(i + 1)];
        return this.resolve(parts.join('/'), follow);
      }
      node = next;
      here = [...here, parts[i]];
    }
    return node;
  }

  stat(path: string): EmuStat {
    const n = this.resolve(path, false);
    if (n.type !== 'file') return { type: n.type, mode: n.type === 'dir' ? 0o755 : 0o777, size: 0 };
    let size = 0;
    if (n.read && n.mode & 0o444) {
      try {
        size = Buffer.byteLength(this.readNode(path, n, true));
      } catch {
        size = 0;
      }
    }
    return { type: 'file', mode: n.mode, size };
  }

  readdir(path: string): string[] {
    const n = this.resolve(path);
    if (n.type !== 'dir') fail('ENOTDIR', path);
    return n.list();
  }

  readlink(path: string): string {
    const n = this.resolve(path, false);
    if (n.type !== 'link') fail('EINVAL', `${path} is not a link`);
    return n.target;
  }

  read(path: string): string {
    const n = this.resolve(path);
    return this.readNode(path, n, false);
  }

  private readNode(path: string, n: Node, peek: boolean): string {
    if (n.type === 'dir') fail('EISDIR', path);
    if (n.type !== 'file' || !n.read || !(n.mode & 0o444)) fail('EACCES', `${path} is write-only`);
    if (peek && path.replace(/^\/+/, '') === 'last_sysfs_mgmt_res') return `${this.st.lastRes}\n`;
    const out = n.read();
    const buf = Buffer.from(out);
    return buf.length > LIMIT ? buf.subarray(0, LIMIT).toString() : out;
  }

  /**
   * Every entry under `path` (links not followed) with file contents, in one pass; what `opts`
   * skips is listed but not read (readTree's contract).
   */
  walk(path: string, opts?: ReadTreeOptions): TreeEntry[] {
    const out: TreeEntry[] = [];
    const skip = skipMatcher(opts);
    const visit = (rel: string, abs: string, n: Node): void => {
      if (n.type === 'link') return void out.push({ path: rel, type: 'link', target: n.target });
      if (n.type === 'dir') {
        out.push({ path: rel, type: 'dir', mode: 0o755 });
        if (skip?.dir(rel)) return;
        for (const name of n.list()) {
          const c = n.child(name);
          if (c) visit(rel ? `${rel}/${name}` : name, abs ? `${abs}/${name}` : name, c);
        }
        return;
      }
      const e: TreeEntry = { path: rel, type: 'file', mode: n.mode };
      if (skip?.content(rel)) return void out.push(e);
      try {
        e.content = this.readNode(abs, n, false);
      } catch (err) {
        if (!(err instanceof ErrnoError)) throw err;
        e.error = err.errno;
      }
      out.push(e);
    };
    const clean = path.split('/').filter(Boolean).join('/');
    visit('', clean, this.resolve(clean));
    return out;
  }

  truncate(path: string): void {
    const n = this.resolve(path);
    if (n.type === 'dir') fail('EISDIR', path);
    if (n.type !== 'file' || !n.write || !(n.mode & 0o222)) fail('EACCES', `${path} is read-only`);
  }

  write(path: string, data: string): void {
    const n = this.resolve(path);
    if (n.type === 'dir') fail('EISDIR', path);
    if (n.type !== 'file' || !n.write || !(n.mode & 0o222)) fail('EACCES', `${path} is read-only`);
    // sysfs_kf_write(): a 0-byte write never reaches the store (success, nothing happens, no work)
    if (data === '') return;
    const buf = Buffer.from(data);
    const cmd = buf.length > LIMIT ? buf.subarray(0, LIMIT).toString() : data;
    const a = this.st.async;
    if (a.debugEagain) {
      this.generation++;
      this.runWork(n.write, cmd);
      fail('EAGAIN', `${path}: debug EAGAIN`);
    }
    if (n.work && a.on) {
      this.generation++;
      if (!a.pending.length) a.pollsLeft = ASYNC_POLLS;
      a.pending.push({ path, data: cmd });
      fail('EAGAIN', `${path}: queued`);
    }
    if (n.work) return this.runWork(n.write, cmd, true);
    n.write(cmd);
    this.generation++;
  }

  /** Runs a work-queue store and records its result in last_sysfs_mgmt_res. */
  private runWork(store: (d: string) => void, cmd: string, rethrow = false): void {
    try {
      store(cmd);
      this.st.lastRes = 0;
      this.generation++;
    } catch (e) {
      if (!(e instanceof ErrnoError)) throw e;
      this.st.lastRes = -errnoNumber(e.errno);
      this.generation++;
      if (rethrow) throw e;
    }
  }

  /** last_sysfs_mgmt_res: EAGAIN while work is queued; queued work completes after N polls. */
  private lastRes(): string {
    const a = this.st.async;
    if (a.pending.length) {
      this.generation++;
      a.pollsLeft--;
      if (a.pollsLeft > 0) fail('EAGAIN', 'sysfs work pending');
      this.drain();
    }
    return `${this.st.lastRes}\n`;
  }

  /** Runs every queued work item in FIFO order (each updates the global result). */
  drain(): void {
    const a = this.st.async;
    const queue = a.pending.splice(0);
    for (const w of queue) {
      let n: Node | undefined;
      try {
        n = this.resolve(w.path);
      } catch (e) {
        if (!(e instanceof ErrnoError)) throw e;
      }
      // the work holds its object: if the object vanished meanwhile the kernel's pointer check
      // makes the command a silent success (§2.5 quirk)
      if (n?.type === 'file' && n.write) this.runWork(n.write, w.data);
      else this.st.lastRes = 0;
    }
    this.generation++;
  }
}

export { errnoName };
