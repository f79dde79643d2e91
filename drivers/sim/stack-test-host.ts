/**
 * A Host over the bcache and btier emulators and a set of in-memory disks, for the drivers'
 * tests (the full sim host joins every layer in drivers/sim). sysfs paths under /sys go to the
 * emulators; exec answers make-bcache, bcache-super-show, btier_setup, and blkid / wipefs from
 * the disks' signatures. Counts exec calls.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrnoError } from '../../reconciler/core/errors.js';
import type { ExecResult, Host, SysfsApi, TreeEntry } from '../../reconciler/host/host.js';
import { BtierEmulator, initialBtierState } from '../btier/emulator/index.js';
import type { EmulatedFs } from './vfs.js';
import { BcacheEmulator, MemoryDisks, initialBcacheState } from '../bcache/emulator/index.js';
import type { EmuBlockDevice } from '../bcache/emulator/index.js';

type Fs = EmulatedFs & { walk(root: string): TreeEntry[] };

const rel = (p: string) => {
  if (!p.startsWith('/sys/')) throw new ErrnoError('ENOENT', { path: p });
  return p.slice(5).replace(/\/+$/, '');
};

export class StackTestHost implements Host {
  readonly id = 'test:stack';
  readonly disks: MemoryDisks;
  readonly bcache: BcacheEmulator;
  readonly btier: BtierEmulator;
  readonly stateDir = mkdtempSync(join(tmpdir(), 'sanform-stack-test-'));
  execCalls = 0;
  private readonly fileMap = new Map<string, string>();

  constructor(devs: EmuBlockDevice[], opts: { bcache?: boolean; btier?: boolean } = {}) {
    this.disks = MemoryDisks.of(devs);
    this.bcache = new BcacheEmulator(this.disks, initialBcacheState(opts.bcache ?? true));
    this.btier = new BtierEmulator(this.disks, initialBtierState(opts.btier ?? true));
  }

  /** The emulator that serves a /sys-relative path: the first that knows it. */
  private route<T>(path: string, fn: (fs: Fs, rel: string) => T): T {
    const r = rel(path);
    const fss: Fs[] = [this.bcache.fs, this.btier.fs];
    let last: unknown;
    for (const fs of fss) {
      try {
        return fn(fs, r);
      } catch (e) {
        last = e;
        if (!(e instanceof ErrnoError && e.errno === 'ENOENT')) throw e;
      }
    }
    throw last instanceof ErrnoError ? new ErrnoError('ENOENT', { path }) : last;
  }

  readonly sysfs: SysfsApi = {
    read: async (p) => this.route(p, (fs, r) => fs.read(r)),
    list: async (p) => {
      if (p === '/sys/block' || p === '/sys/class/block') return Object.keys(this.disks.st.disks).map((d) => d.slice(d.lastIndexOf('/') + 1)).sort();
      const m = /^\/sys\/block\/([^/]+)\/holders$/.exec(p);
      if (m) return this.disks.holders(`/dev/${m[1]}`);
      return this.route(p, (fs, r) => fs.readdir(r));
    },
    readlink: async (p) => this.route(p, (fs, r) => fs.readlink(r)),
    exists: async (p) => {
      try {
        this.route(p, (fs, r) => fs.stat(r));
        return true;
      } catch (e) {
        if (e instanceof ErrnoError && e.errno === 'ENOENT') return false;
        throw e;
      }
    },
    readTree: async (p) => this.route(p, (fs, r) => fs.walk(r)),
    mgmt: async (p, c) => this.route(p, (fs, r) => fs.write(r, c)),
    writeAttr: async (p, v) => this.route(p, (fs, r) => fs.write(r, v)),
  };

  readonly files = {
    read: async (p: string) => this.fileMap.get(p),
    writeAtomic: async (p: string, c: string) => void this.fileMap.set(p, c),
  };

  async hostname(): Promise<string> {
    return 'esos-test';
  }

  async close(): Promise<void> {
    rmSync(this.stateDir, { recursive: true, force: true });
  }

  async exec(argv: string[]): Promise<ExecResult> {
    this.execCalls++;
    const [cmd, ...args] = argv;
    if (cmd === 'make-bcache' || cmd === 'bcache-super-show') return this.bcache.exec(argv);
    if (cmd === 'btier_setup') return this.btier.exec(argv);
    if (cmd === 'blkid') return this.blkid();
    if (cmd === 'wipefs' && args[0] === '-a' && args[1]) return this.wipe(args[1]);
    return { exitCode: 127, stdout: '', stderr: `${cmd}: command not found\n` };
  }

  private blkid(): ExecResult {
    const blocks: string[] = [];
    for (const d of Object.keys(this.disks.st.disks).sort()) {
      const sig = this.disks.signature(d);
      if (sig) blocks.push(`DEVNAME=${d}\n${sig.uuid ? `UUID=${sig.uuid}\n` : ''}TYPE=${sig.type}\n`);
    }
    return blocks.length ? { exitCode: 0, stdout: blocks.join('\n'), stderr: '' } : { exitCode: 2, stdout: '', stderr: '' };
  }

  private wipe(dev: string): ExecResult {
    if (!this.disks.get(dev)) return { exitCode: 1, stdout: '', stderr: `wipefs: error: ${dev}: probing initialization failed: No such file or directory\n` };
    if (this.bcache.kernel.isOpen(dev) || this.disks.holders(dev).length) return { exitCode: 1, stdout: '', stderr: `wipefs: error: ${dev}: probing initialization failed: Device or resource busy\n` };
    this.disks.setSignature(dev, undefined);
    return { exitCode: 0, stdout: '', stderr: '' };
  }
}
