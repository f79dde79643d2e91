/**
 * A tiny fake kernel for engine tests, served through a Host: disks, LUNs and CHAP-like users
 * under /sys/kernel/scst_tgt/toy. It enforces a few kernel rules (duplicate -> EEXIST, unknown ->
 * EINVAL, a LUN needs its disk) and the cascade the planner must know about: deleting a disk
 * removes every LUN that maps it. It counts writes and can fail or crash at a chosen write.
 */
import type { ExecResult, Host, SysfsApi, TreeEntry } from '../../reconciler/host/host.js';
import { ErrnoError } from '../../reconciler/core/errors.js';

export const TOY = '/sys/kernel/scst_tgt/toy';

export interface ToyState {
  disks: Map<string, { size: number; label: string; serial: string }>;
  luns: Map<string, { disk: string; sessions: string[] }>;
  users: Map<string, string>;
}

export interface ToyHost extends Host {
  state: ToyState;
  /** every mgmt/write performed, as `path <- data`. */
  writes: string[];
  /** fail the write whose 1-based index (counting all writes) is n, with errno. */
  failAt?: { n: number; errno: string };
  /** called before each write with its index; may throw. */
  beforeWrite?: (n: number, path: string, data: string) => void;
}

const einval = (path: string, command?: string) => new ErrnoError('EINVAL', { path, command });

function mgmtToy(s: ToyState, path: string, cmd: string): void {
  const [verb, a, b] = cmd.trim().split(/\s+/);
  if (path === `${TOY}/disks/mgmt`) {
    if (verb === 'add_disk') {
      if (s.disks.has(a)) throw new ErrnoError('EEXIST', { path, command: cmd });
      const size = Number(/size=(\d+)/.exec(cmd)?.[1] ?? 0);
      s.disks.set(a, { size, label: '', serial: '' });
    } else if (verb === 'del_disk') {
      if (!s.disks.delete(a)) throw einval(path, cmd);
      for (const [n, l] of s.luns) if (l.disk === a) s.luns.delete(n);
    } else throw einval(path, cmd);
    return;
  }
  if (path === `${TOY}/luns/mgmt`) {
    if (verb === 'add' || verb === 'replace') {
      if (!s.disks.has(b)) throw einval(path, cmd);
      if (verb === 'add' && s.luns.has(a)) throw new ErrnoError('EEXIST', { path, command: cmd });
      s.luns.set(a, { disk: b, sessions: s.luns.get(a)?.sessions ?? [] });
    } else if (verb === 'del') {
      if (!s.luns.delete(a)) throw einval(path, cmd);
    } else throw einval(path, cmd);
    return;
  }
  if (path === `${TOY}/users/mgmt`) {
    if (verb === 'add') {
      if (s.users.has(a)) throw new ErrnoError('EEXIST', { path, command: cmd });
      s.users.set(a, b ?? '');
    } else if (verb === 'del') {
      if (!s.users.delete(a)) throw einval(path, cmd);
    } else throw einval(path, cmd);
    return;
  }
  throw new ErrnoError('ENOENT', { path });
}

function attr(s: ToyState, path: string): { get(): string; set(v: string): void } | undefined {
  const m = /^\/sys\/kernel\/scst_tgt\/toy\/disks\/([^/]+)\/(label|serial|size)$/.exec(path);
  if (m && s.disks.has(m[1])) {
    const d = s.disks.get(m[1])!;
    const f = m[2] as 'label' | 'serial' | 'size';
    return {
      get: () => String(d[f]),
      set: (v) => {
        if (f === 'size') throw new ErrnoError('EACCES', { path });
        d[f] = v;
      },
    };
  }
  const u = /^\/sys\/kernel\/scst_tgt\/toy\/users\/([^/]+)\/secret$/.exec(path);
  if (u && s.users.has(u[1])) return { get: () => s.users.get(u[1])!, set: (v) => void s.users.set(u[1], v) };
  const l = /^\/sys\/kernel\/scst_tgt\/toy\/luns\/([^/]+)\/disk$/.exec(path);
  if (l && s.luns.has(l[1])) return { get: () => s.luns.get(l[1])!.disk, set: () => { throw new ErrnoError('EACCES', { path }); } };
  return undefined;
}

function listToy(s: ToyState, path: string): string[] {
  if (path === `${TOY}/disks`) return [...s.disks.keys(), 'mgmt'];
  if (path === `${TOY}/luns`) return [...s.luns.keys(), 'mgmt'];
  if (path === `${TOY}/users`) return [...s.users.keys(), 'mgmt'];
  throw new ErrnoError('ENOENT', { path });
}

function existsToy(s: ToyState, path: string): boolean {
  const m = /^\/sys\/kernel\/scst_tgt\/toy\/(disks|luns|users)\/([^/]+)$/.exec(path);
  if (m) return m[1] === 'disks' ? s.disks.has(m[2]) : m[1] === 'luns' ? s.luns.has(m[2]) : s.users.has(m[2]);
  return attr(s, path) !== undefined;
}

export function createToyHost(stateDir: string, init?: Partial<ToyState>): ToyHost {
  const state: ToyState = { disks: new Map(), luns: new Map(), users: new Map(), ...init };
  const host: ToyHost = {
    id: 'toy',
    state,
    writes: [],
    stateDir,
    sysfs: undefined as unknown as SysfsApi,
    files: { read: async () => undefined, writeAtomic: async () => {} },
    exec: async (): Promise<ExecResult> => ({ exitCode: 0, stdout: '', stderr: '' }),
    hostname: async () => 'toy-node',
  };
  const write = (path: string, data: string, fn: () => void): void => {
    const n = host.writes.length + 1;
    host.beforeWrite?.(n, path, data);
    if (host.failAt?.n === n) {
      host.writes.push(`${path} <- ${data} (failed)`);
      throw new ErrnoError(host.failAt.errno, { path, command: data });
    }
    fn();
    host.writes.push(`${path} <- ${data}`);
  };
  (host as { sysfs: SysfsApi }).sysfs = {
    read: async (p) => {
      const a = attr(state, p);
      if (!a) throw new ErrnoError('ENOENT', { path: p });
      return `${a.get()}\n`;
    },
    list: async (p) => listToy(state, p).sort(),
    readlink: async (p) => {
      throw new ErrnoError('EINVAL', { path: p });
    },
    exists: async (p) => existsToy(state, p),
    readTree: async (): Promise<TreeEntry[]> => [],
    mgmt: async (p, cmd) => write(p, cmd, () => mgmtToy(state, p, cmd)),
    writeAttr: async (p, v) =>
      write(p, v, () => {
        const a = attr(state, p);
        if (!a) throw new ErrnoError('ENOENT', { path: p });
        a.set(v.trim());
      }),
  };
  return host;
}
