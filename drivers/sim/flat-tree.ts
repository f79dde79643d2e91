/**
 * A small sysfs-like file system built from a flat map of entries: for emulators whose trees are
 * a few dozen files rebuilt from their state on every call (bcache, btier). Paths are relative,
 * `/`-separated, without a leading slash; every parent directory is implied by its children.
 */
import { ErrnoError } from '../../reconciler/core/errors.js';
import type { TreeEntry } from '../../reconciler/host/host.js';
import type { EmuStat, EmulatedFs } from './vfs.js';

export type FlatEntry =
  | { type: 'file'; mode: number; read?: () => string; write?: (data: string) => void }
  | { type: 'link'; target: string }
  | { type: 'dir' };

export type FlatTree = Map<string, FlatEntry>;

/** A read-write attribute file (0644). */
export const rw = (read: () => string, write: (data: string) => void): FlatEntry => ({ type: 'file', mode: 0o644, read, write });
/** A read-only attribute file (0444). */
export const ro = (read: () => string): FlatEntry => ({ type: 'file', mode: 0o444, read });
/** A write-only file (0200): reads fail with EACCES. */
export const wo = (write: (data: string) => void): FlatEntry => ({ type: 'file', mode: 0o200, write });
export const link = (target: string): FlatEntry => ({ type: 'link', target });
export const dir = (): FlatEntry => ({ type: 'dir' });

/** Adds every parent directory of the entries (so builders only list leaves). */
export function withParents(t: FlatTree): FlatTree {
  for (const p of [...t.keys()]) {
    for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
      const parent = p.slice(0, i);
      if (t.has(parent)) break;
      t.set(parent, { type: 'dir' });
    }
  }
  t.set('', { type: 'dir' });
  return t;
}

const enoent = (path: string) => new ErrnoError('ENOENT', { path });

/** Resolves symlinks in the directory part of a path (`block/bcache0/bcache/stop`), like the VFS. */
export function resolve(t: FlatTree, path: string): string {
  const parts = path === '' ? [] : path.split('/');
  let cur: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    cur.push(parts[i] as string);
    const e = t.get(cur.join('/'));
    if (e?.type === 'link' && i < parts.length - 1) {
      const next = cur.slice(0, -1);
      for (const seg of e.target.split('/')) {
        if (seg === '..') next.pop();
        else if (seg !== '.' && seg !== '') next.push(seg);
      }
      cur = next;
    }
  }
  return cur.join('/');
}

/** An EmulatedFs over a tree rebuilt by `build` for each call. */
export function flatFs(build: () => FlatTree): EmulatedFs & { walk(root: string): TreeEntry[] } {
  const get = (path: string): [FlatTree, FlatEntry] => {
    const t = build();
    const e = t.get(path) ?? t.get(resolve(t, path));
    if (!e) throw enoent(path);
    return [t, e];
  };
  const children = (t: FlatTree, path: string) => {
    const pre = path === '' ? '' : `${path}/`;
    return [...t.keys()].filter((k) => k !== '' && k.startsWith(pre) && !k.slice(pre.length).includes('/')).map((k) => k.slice(pre.length)).sort();
  };
  return {
    stat(path): EmuStat {
      const [, e] = get(path);
      if (e.type === 'file') return { type: 'file', mode: e.mode, size: e.read && e.mode & 0o444 ? e.read().length : 0 };
      return { type: e.type, mode: e.type === 'dir' ? 0o755 : 0o777, size: 0 };
    },
    readdir(path) {
      const [t, e] = get(path);
      if (e.type !== 'dir') throw new ErrnoError('ENOTDIR', { path });
      return children(t, t.has(path) ? path : resolve(t, path));
    },
    readlink(path) {
      const [, e] = get(path);
      if (e.type !== 'link') throw new ErrnoError('EINVAL', { path });
      return e.target;
    },
    read(path) {
      const [, e] = get(path);
      if (e.type === 'dir') throw new ErrnoError('EISDIR', { path });
      if (e.type !== 'file' || !e.read || !(e.mode & 0o444)) throw new ErrnoError('EACCES', { path });
      return e.read();
    },
    write(path, data) {
      const [, e] = get(path);
      if (e.type === 'dir') throw new ErrnoError('EISDIR', { path });
      if (e.type !== 'file' || !e.write) throw new ErrnoError('EACCES', { path });
      e.write(data);
    },
    truncate(path) {
      const [, e] = get(path);
      if (e.type !== 'file' || !e.write) throw new ErrnoError('EACCES', { path });
    },
    walk(root) {
      const t = build();
      root = t.has(root) ? root : resolve(t, root);
      const base = t.get(root);
      if (!base) throw enoent(root);
      const pre = root === '' ? '' : `${root}/`;
      const out: TreeEntry[] = [];
      for (const [k, e] of [...t.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        if (k !== root && !k.startsWith(pre)) continue;
        if (root === '' && k === '') {
          out.push({ path: '', type: 'dir', mode: 0o755 });
          continue;
        }
        const rel = k === root ? '' : k.slice(pre.length);
        if (e.type === 'dir') out.push({ path: rel, type: 'dir', mode: 0o755 });
        else if (e.type === 'link') out.push({ path: rel, type: 'link', target: e.target });
        else if (e.read && e.mode & 0o444) out.push({ path: rel, type: 'file', mode: e.mode, content: e.read() });
        else out.push({ path: rel, type: 'file', mode: e.mode, error: 'EACCES' });
      }
      return out;
    },
  };
}
