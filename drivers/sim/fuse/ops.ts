/**
 * FUSE operations over an EmulatedFs (drivers/sim/vfs.ts), in fuse-native's callback shape.
 * Pure mapping, no mounting here: errors become negative errnos (a positive number would be
 * taken as a byte count), one FUSE write is one emulator write, and a file's content is taken
 * once per open on the first read, as sysfs does.
 */
import { constants as os } from 'node:os';
import { constants as fs } from 'node:fs';
import type { EmulatedFs, EmuStat } from '../vfs.js';
import { errnoNumber } from '../../../reconciler/host/errno.js';

type Cb = (code: number, ...rest: unknown[]) => void;

export interface FuseStat {
  mode: number;
  size: number;
  nlink: number;
  uid: number;
  gid: number;
  atime: Date;
  mtime: Date;
  ctime: Date;
}

/** The callbacks fuse-native calls; `paths` are absolute in the mount ('/' is the root). */
export interface FuseOps {
  getattr(path: string, cb: Cb): void;
  readdir(path: string, cb: Cb): void;
  readlink(path: string, cb: Cb): void;
  open(path: string, flags: number, cb: Cb): void;
  read(path: string, fd: number, buf: Buffer, len: number, pos: number, cb: (n: number) => void): void;
  write(path: string, fd: number, buf: Buffer, len: number, pos: number, cb: (n: number) => void): void;
  truncate(path: string, size: number, cb: Cb): void;
  ftruncate(path: string, fd: number, size: number, cb: Cb): void;
  release(path: string, fd: number, cb: Cb): void;
  create(path: string, mode: number, cb: Cb): void;
  mkdir(path: string, mode: number, cb: Cb): void;
  unlink(path: string, cb: Cb): void;
  rmdir(path: string, cb: Cb): void;
  rename(src: string, dest: string, cb: Cb): void;
  symlink(target: string, path: string, cb: Cb): void;
}

/** Negative errno of a thrown error: ErrnoError's errno name, a Node fs error's code, else EIO. */
export function negErrno(e: unknown): number {
  const name = (e as { data?: { errno?: unknown } } | null)?.data?.errno ?? (e as { code?: unknown } | null)?.code;
  const n = typeof name === 'string' ? errnoNumber(name) : 0;
  return -(n || os.errno.EIO);
}

const hasErrno = (e: unknown): boolean =>
  typeof ((e as { data?: { errno?: unknown } } | null)?.data?.errno ?? (e as { code?: unknown } | null)?.code) === 'string';

const rel = (path: string): string => path.replace(/^\/+/, '').replace(/\/+$/, '');

const TYPE_BITS: Record<EmuStat['type'], number> = { dir: fs.S_IFDIR, file: fs.S_IFREG, link: fs.S_IFLNK };

/** One open file: its path and, after the first successful read, its content. */
interface Handle {
  path: string;
  content?: Buffer;
}

export interface OpsOptions {
  uid?: number;
  gid?: number;
  /** reported as every entry's times (sysfs shows roughly the boot time). */
  time?: Date;
  /** called with unexpected (non-errno) failures, for the server's log. */
  onError?: (op: string, path: string, e: unknown) => void;
}

/** Builds the FUSE operations serving `efs`. */
export function fuseOps(efs: EmulatedFs, opts: OpsOptions = {}): FuseOps {
  const time = opts.time ?? new Date();
  const handles = new Map<number, Handle>();
  let nextFd = 1;
  const stat = (s: EmuStat): FuseStat => ({
    mode: TYPE_BITS[s.type] | (s.mode & 0o7777),
    size: s.size,
    nlink: s.type === 'dir' ? 2 : 1,
    uid: opts.uid ?? 0,
    gid: opts.gid ?? 0,
    atime: time,
    mtime: time,
    ctime: time,
  });
  /** Runs `fn`, answering its value or the negative errno of what it threw. */
  const guard = (op: string, path: string, cb: (n: number, v?: unknown) => void, fn: () => unknown): void => {
    let v: unknown;
    try {
      v = fn();
    } catch (e) {
      if (!hasErrno(e)) opts.onError?.(op, path, e);
      return cb(negErrno(e));
    }
    cb(0, v);
  };
  const denied = (_a: unknown, ...rest: unknown[]) => (rest.at(-1) as Cb)(-os.errno.EPERM);

  return {
    getattr: (path, cb) => guard('getattr', path, cb, () => stat(efs.stat(rel(path)))),
    readdir: (path, cb) => {
      let names: string[];
      try {
        names = efs.readdir(rel(path));
      } catch (e) {
        return cb(negErrno(e));
      }
      const base = rel(path);
      // stats give readdir's d_type, as sysfs does; an entry gone meanwhile reads as DT_UNKNOWN
      const stats = names.map((n) => {
        try {
          return stat(efs.stat(base ? `${base}/${n}` : n));
        } catch {
          return undefined;
        }
      });
      cb(0, names, stats);
    },
    readlink: (path, cb) => guard('readlink', path, cb, () => efs.readlink(rel(path))),
    open: (path, flags, cb) =>
      guard('open', path, cb, () => {
        const p = rel(path);
        const s = efs.stat(p);
        const acc = flags & 3; // O_ACCMODE
        const wantsRead = acc === fs.O_RDONLY || acc === fs.O_RDWR;
        const wantsWrite = acc === fs.O_WRONLY || acc === fs.O_RDWR;
        if (s.type === 'dir' && wantsWrite) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
        // kernfs refuses a read open without a show method and a write open without a store
        if ((wantsRead && !(s.mode & 0o444)) || (wantsWrite && !(s.mode & 0o222))) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
        const fd = nextFd++;
        handles.set(fd, { path: p });
        return fd;
      }),
    read: (path, fd, buf, len, pos, cb) => {
      const h = handles.get(fd) ?? { path: rel(path) };
      if (!h.content) {
        try {
          h.content = Buffer.from(efs.read(h.path), 'utf8');
        } catch (e) {
          return cb(negErrno(e));
        }
      }
      cb(pos >= h.content.length ? 0 : h.content.copy(buf, 0, pos, Math.min(h.content.length, pos + len)));
    },
    write: (path, fd, buf, len, _pos, cb) => {
      try {
        efs.write(handles.get(fd)?.path ?? rel(path), buf.toString('utf8', 0, len));
      } catch (e) {
        return cb(negErrno(e));
      }
      cb(len);
    },
    truncate: (path, _size, cb) => guard('truncate', path, cb, () => efs.truncate(rel(path))),
    ftruncate: (path, _fd, _size, cb) => guard('ftruncate', path, cb, () => efs.truncate(rel(path))),
    release: (_path, fd, cb) => {
      handles.delete(fd);
      cb(0);
    },
    // sysfs has no create: an O_CREAT open of a missing name fails at the VFS with EACCES
    create: (_path, _mode, cb) => cb(-os.errno.EACCES),
    mkdir: denied,
    unlink: denied,
    rmdir: denied,
    rename: denied,
    symlink: denied,
  };
}
