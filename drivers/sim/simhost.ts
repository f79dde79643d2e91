/**
 * SimHost: the Host interface (reconciler/host/host.ts) served by emulators. sysfs paths are
 * routed by prefix (/sys/kernel/scst_tgt -> ScstEmulator); mgmt/writeAttr follow SCST's EAGAIN
 * protocol; exec runs registered emulated commands; files live in memory or under DIR/files.
 */
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { ErrnoError, isErrno } from '../../reconciler/core/errors.js';
import type { ExecOptions, ExecResult, FilesApi, Host, MgmtOptions, ReadTreeOptions, SysfsApi, TreeEntry } from '../../reconciler/host/host.js';
import { SCST_ROOT } from '../../reconciler/host/host.js';
import { errnoName } from '../scst/emulator/emulator.js';
import { SimWorld } from './world.js';
import { isStackPath, stackRel } from './stack/kernel.js';
import type { EmuStat, EmulatedFs } from './vfs.js';
import type { HardwareProfile } from './hardware.js';
import type { EmuOp } from './ops.js';
import type { Machine } from './machine.js';
import { MemoryMachine, PersistentMachine } from './machine.js';
import { SimControlImpl } from './control.js';
import { installDrbd } from '../drbd/emulator/install.js';
import { FileWorld, MemoryWorld } from '../drbd/emulator/state.js';
import { clusterDir } from '../drbd/emulator/cluster.js';
import { withLock } from './lock.js';
import { BtrfsEmulator, fileBtrfsStore, memoryBtrfsStore } from '../snapshot/emulator.js';
import type { SimControl } from './control.js';

export type { SimControl } from './control.js';
export type { HardwareProfile } from './hardware.js';
export { defaultHardware } from './hardware.js';
import { defaultHardware as defaultHardwareProfile } from './hardware.js';

/** An emulated command for exec (argv[0] -> handler). */
export type EmulatedCommand = (argv: string[], opts: ExecOptions) => ExecResult | Promise<ExecResult>;

/**
 * State dirs of in-memory hosts (the lock, journal and fingerprint key of a machine that lives
 * only in this process): removed by close(), or at exit for hosts nobody closed.
 */
const tmpStates = new Set<string>();
function removeAtExit(dir: string): void {
  if (tmpStates.size === 0) process.once('exit', () => tmpStates.forEach((d) => rmSync(d, { recursive: true, force: true })));
  tmpStates.add(dir);
}

export class SimHost implements Host {
  readonly id: string;
  readonly sysfs: SysfsApi;
  readonly files: FilesApi;
  readonly control: SimControl;
  private readonly commands = new Map<string, EmulatedCommand>();
  private tmpState?: string;
  /** the emulated btrfs (snapshot sets); `btrfs.mount(DIR)` makes DIR a file system. */
  readonly btrfs: BtrfsEmulator;

  constructor(
    private readonly machine: Machine,
    private readonly dir?: string,
  ) {
    this.id = dir ? `sim:${dir}` : 'sim:memory';
    this.sysfs = new SimSysfs((op) => this.machine.run(op));
    this.files = dir ? diskFiles(join(dir, 'files')) : memoryFiles();
    this.control = new SimControlImpl((op) => this.machine.run(op));
    const store = dir ? fileBtrfsStore(join(dir, 'btrfs.json'), (fn) => withLock(join(dir, 'btrfs.lock'), fn)) : memoryBtrfsStore();
    this.btrfs = new BtrfsEmulator(store);
    for (const cmd of ['btrfs', 'findmnt', 'mv']) this.registerCommand(cmd, (argv) => this.btrfs.exec(argv));
    const cluster = dir ? clusterDir(dir) : undefined;
    installDrbd(this, {
      store: cluster ? new FileWorld(cluster) : new MemoryWorld(),
      machine: () => {
        const hw = this.machine.hardware();
        // a lower disk is any block device of the stack (a disk, /dev/md0, an LV), as the kernel sees it
        return { node: hw.hostname, deviceSize: (p) => this.machine.run({ k: 'device', path: p }) as number | undefined };
      },
      ...(cluster ? { clusterDir: cluster } : {}),
    });
  }

  /** The DIR this machine is kept in (absent for an in-memory machine). */
  get simDir(): string | undefined {
    return this.dir;
  }

  get stateDir(): string {
    if (this.dir) return join(this.dir, 'state');
    if (!this.tmpState) {
      this.tmpState = mkdtempSync(join(tmpdir(), 'sanform-sim-state-'));
      removeAtExit(this.tmpState);
    }
    return this.tmpState;
  }

  async hostname(): Promise<string> {
    return this.machine.hardware().hostname;
  }

  /** The machine's hardware profile. */
  hardware(): HardwareProfile {
    return this.machine.hardware();
  }

  /** Makes `argv[0] === name` run `cmd` in exec(). */
  registerCommand(name: string, cmd: EmulatedCommand): void {
    this.commands.set(name, cmd);
  }

  /**
   * A registered command, else the storage stack's tools (mdadm, lvm, blkid...: exit 127 for a
   * tool the machine lacks).
   */
  async exec(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const cmd = this.commands.get(argv[0] ?? '');
    const stack = () => this.machine.run({ k: 'exec', argv, ...(opts.input !== undefined ? { input: opts.input } : {}) }) as ExecResult;
    // blkid probes every layer: the stack's disks first, then what another emulator registered (DRBD metadata)
    if (argv[0] === 'blkid' && cmd) {
      const r = stack();
      return r.exitCode === 0 ? r : cmd(argv, opts);
    }
    if (cmd) return cmd(argv, opts);
    return this.machine.run({ k: 'exec', argv, ...(opts.input !== undefined ? { input: opts.input } : {}) }) as ExecResult;
  }

  /** The SCST emulator as an EmulatedFs whose every call syncs with the shared state (FUSE). */
  scstFs(): EmulatedFs {
    const run = (op: EmuOp) => this.machine.run(op);
    return {
      stat: (path) => run({ k: 'stat', path }) as EmuStat,
      readdir: (path) => run({ k: 'readdir', path }) as string[],
      readlink: (path) => run({ k: 'readlink', path }) as string,
      read: (path) => run({ k: 'read', path }) as string,
      write: (path, data) => void run({ k: 'write', path, data }),
      truncate: (path) => void run({ k: 'truncate', path }),
    };
  }

  async close(): Promise<void> {
    if (this.tmpState) {
      rmSync(this.tmpState, { recursive: true, force: true });
      tmpStates.delete(this.tmpState);
    }
    this.tmpState = undefined;
  }
}

/** Maps an absolute sysfs path to the SCST emulator's relative path, or ENOENT. */
export function scstRel(path: string): string {
  if (path === SCST_ROOT) return '';
  if (!path.startsWith(`${SCST_ROOT}/`)) throw new ErrnoError('ENOENT', { path, message: `${path}: not emulated` });
  return path.slice(SCST_ROOT.length + 1).replace(/\/+$/, '');
}

class SimSysfs implements SysfsApi {
  constructor(private readonly run: (op: EmuOp) => unknown) {}

  private op(k: 'read' | 'readdir' | 'readlink' | 'stat' | 'walk', path: string, opts?: ReadTreeOptions): unknown {
    if (isStackPath(path)) return this.run({ k: 'stack', op: k, path: stackRel(path) });
    try {
      return this.run(k === 'walk' ? { k, path: scstRel(path), opts } : { k, path: scstRel(path) });
    } catch (e) {
      if (e instanceof ErrnoError && !e.data.path) throw new ErrnoError(e.errno, { path, message: e.message, cause: e });
      throw e;
    }
  }

  async read(path: string): Promise<string> {
    return this.op('read', path) as string;
  }
  async list(path: string): Promise<string[]> {
    return this.op('readdir', path) as string[];
  }
  async readlink(path: string): Promise<string> {
    return this.op('readlink', path) as string;
  }
  async exists(path: string): Promise<boolean> {
    try {
      this.op('stat', path);
      return true;
    } catch (e) {
      if (isErrno(e, 'ENOENT')) return false;
      throw e;
    }
  }
  async readTree(root: string, opts?: ReadTreeOptions): Promise<TreeEntry[]> {
    return this.op('walk', root, opts) as TreeEntry[];
  }
  mgmt(path: string, command: string, opts?: MgmtOptions): Promise<void> {
    return this.writeWithProtocol(path, command, opts);
  }
  async writeAttr(path: string, value: string, opts?: MgmtOptions): Promise<void> {
    if (isStackPath(path)) {
      this.run({ k: 'stack', op: 'write', path: stackRel(path), data: value });
      return;
    }
    return this.writeWithProtocol(path, value, opts);
  }

  /** One write(2); on EAGAIN poll the result file until it stops answering EAGAIN (§4.1). */
  private async writeWithProtocol(path: string, data: string, opts: MgmtOptions = {}): Promise<void> {
    try {
      this.run({ k: 'write', path: scstRel(path), data });
      return;
    } catch (e) {
      if (!isErrno(e, 'EAGAIN')) throw e instanceof ErrnoError ? new ErrnoError(e.errno, { path, command: data, cause: e }) : e;
    }
    const resultFile = opts.resultFile ?? `${SCST_ROOT}/last_sysfs_mgmt_res`;
    const deadline = Date.now() + (opts.timeoutMs ?? 300_000);
    for (let i = 0; ; i++) {
      let res: string | undefined;
      try {
        res = this.run({ k: 'read', path: scstRel(resultFile) }) as string;
      } catch (e) {
        if (!isErrno(e, 'EAGAIN')) throw e;
      }
      if (res !== undefined) {
        const n = Number(res.trim());
        if (n === 0) return;
        throw new ErrnoError(errnoName(-n), { path, command: data });
      }
      if (Date.now() > deadline) throw new ErrnoError('ETIMEDOUT', { path, command: data, message: `no result for ${path} in time` });
      if (i < 50) await tick();
      else await new Promise((r) => setTimeout(r, opts.pollMs ?? 10));
    }
  }
}

function memoryFiles(): FilesApi {
  const m = new Map<string, string>();
  return {
    read: async (p) => m.get(p),
    writeAtomic: async (p, c) => void m.set(p, c),
  };
}

function diskFiles(root: string): FilesApi {
  const real = (p: string) => join(root, p);
  return {
    read: async (p) => {
      try {
        return readFileSync(real(p), 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    writeAtomic: async (p, c, mode) => {
      const f = real(p);
      mkdirSync(dirname(f), { recursive: true });
      const tmp = `${f}.tmp${process.pid}`;
      writeFileSync(tmp, c, { mode: mode ?? 0o644 });
      renameSync(tmp, f);
    },
  };
}

/** An in-memory emulated machine. */
export function createSimHost(opts: { hardware?: HardwareProfile } = {}): SimHost {
  return new SimHost(new MemoryMachine(SimWorld.fresh(opts.hardware ?? defaultHardwareProfile())));
}

/** A machine kept in DIR (created by `sanform sim init DIR`), shared by every process using DIR. */
export async function openSimHost(dir: string, opts: { compactEvery?: number } = {}): Promise<SimHost> {
  if (!PersistentMachine.exists(dir))
    throw new ErrnoError('ENOENT', { path: dir, message: `${dir} is not an emulated machine (run: sanform sim init ${dir})` });
  mkdirSync(join(dir, 'state'), { recursive: true });
  return new SimHost(new PersistentMachine(dir, opts.compactEvery), dir);
}

/**
 * Replaces the machine in an existing DIR by a fresh one (tests that keep one FUSE mount and need
 * a clean machine per case); processes that have DIR open reload on their next operation.
 */
export function resetSimDir(dir: string, hw: HardwareProfile = defaultHardwareProfile()): void {
  PersistentMachine.reset(dir, hw);
}

/** Creates a fresh emulated machine in DIR: machine/, state/ and files/ start empty. */
export async function initSimDir(dir: string, hw: HardwareProfile): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const sub of ['machine', 'state', 'files', 'cluster']) rmSync(join(dir, sub), { recursive: true, force: true });
  PersistentMachine.create(dir, hw);
  mkdirSync(join(dir, 'state'), { recursive: true });
  mkdirSync(join(dir, 'files'), { recursive: true });
}
