import { promises as fsp, constants } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/**
 * The file system isomorphic-git uses for the state repo. Two things it adds to node:fs:
 *
 * - Durability: every file write goes to a temporary file that is fsync'ed, renamed into place,
 *   and its directory fsync'ed, so a crash leaves either the old or the new file, never half of
 *   one. Objects are written before the ref that names them (the store's order), so a ref never
 *   points at a missing object.
 * - Quarantine: during a pre-receive hook git keeps the pushed objects in a quarantine directory
 *   (GIT_QUARANTINE_PATH) until the hook accepts them. Reads under `<gitdir>/objects` look there
 *   first, so the hook can read the commit being pushed.
 */
export interface StateFsOptions {
  gitdir: string;
  /** object directory of a push in progress (pre-receive), read before `<gitdir>/objects`. */
  quarantine?: string;
}

type PromisesApi = typeof fsp;

export interface IsoFs {
  promises: Pick<
    PromisesApi,
    'readFile' | 'writeFile' | 'unlink' | 'readdir' | 'mkdir' | 'rmdir' | 'stat' | 'lstat' | 'readlink' | 'symlink' | 'chmod'
  >;
}

/** Writes `data` to `path` crash-safely: temp file, fsync, rename, fsync of the directory. */
export async function writeDurable(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const fh = await fsp.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await fsp.unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fh.close();
  try {
    await fsp.rename(tmp, path);
  } catch (e) {
    await fsp.unlink(tmp).catch(() => undefined);
    throw e;
  }
  await syncDir(dirname(path));
}

/** fsync of a directory, so a rename or a new entry in it survives a crash. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await fsp.open(dir, constants.O_RDONLY | constants.O_DIRECTORY).catch(() => undefined);
  if (!fh) return;
  try {
    await fh.sync().catch(() => undefined);
  } finally {
    await fh.close();
  }
}

/** The isomorphic-git `fs` parameter for the state repo at `gitdir`. */
export function stateFs(opts: StateFsOptions): IsoFs {
  const objects = join(opts.gitdir, 'objects') + sep;
  const inQuarantine = (p: string): string | undefined =>
    opts.quarantine && p.startsWith(objects) ? join(opts.quarantine, relative(objects, p)) : undefined;

  const readFile = (async (p: string, o?: unknown) => {
    const q = inQuarantine(String(p));
    if (q) {
      try {
        return await fsp.readFile(q, o as never);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    return fsp.readFile(p, o as never);
  }) as PromisesApi['readFile'];

  const readdir = (async (p: string, o?: unknown) => {
    const own = await fsp.readdir(p, o as never).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' && inQuarantine(String(p))) return [] as string[];
      throw e;
    });
    const q = inQuarantine(String(p) + sep);
    if (!q) return own;
    const extra = await fsp.readdir(q).catch(() => [] as string[]);
    return [...new Set([...(own as string[]), ...extra])];
  }) as PromisesApi['readdir'];

  const stat = (async (p: string, o?: unknown) => {
    const q = inQuarantine(String(p));
    if (q) {
      try {
        return await fsp.stat(q, o as never);
      } catch {
        /* fall through to the repo's own object store */
      }
    }
    return fsp.stat(p, o as never);
  }) as PromisesApi['stat'];

  const writeFile = (async (p: string, data: string | Uint8Array, o?: unknown) => {
    const mode = typeof o === 'object' && o && 'mode' in o ? Number((o as { mode: number }).mode) : 0o644;
    await writeDurable(String(p), typeof data === 'string' ? data : Buffer.from(data), mode);
  }) as PromisesApi['writeFile'];

  return {
    promises: {
      readFile,
      writeFile,
      readdir,
      stat,
      lstat: stat as PromisesApi['lstat'],
      unlink: fsp.unlink,
      mkdir: fsp.mkdir,
      rmdir: fsp.rmdir,
      readlink: fsp.readlink,
      symlink: fsp.symlink,
      chmod: fsp.chmod,
    },
  };
}

/** Object files of one record, written now and made durable together by `flush`. */
export interface ObjectBatch {
  /** the fs to hand isomorphic-git for this record's objects. */
  fs: IsoFs;
  /** fsync of every object file (in parallel), rename into place, fsync of their directories. */
  flush(): Promise<void>;
  /** drops the objects not flushed (after an error). */
  discard(): Promise<void>;
}

interface Staged {
  tmp: string;
  path: string;
  fh: fsp.FileHandle;
}

/**
 * A variant of `base` whose writes under `<gitdir>/objects/` are staged: written to temporary
 * files at once, but synced and renamed only by `flush()`, all together. A record writes about ten
 * objects; syncing them as one batch (then the ref, on its own) replaces ten rounds of
 * write-sync-rename-sync with one, and keeps the order that matters: no ref names an object
 * before that object is on the disk. Writes outside `objects/` stay durable one by one.
 */
export function batchObjectWrites(base: IsoFs, gitdir: string): ObjectBatch {
  const objects = join(gitdir, 'objects') + sep;
  const staged = new Map<string, Staged>();
  const newDirs = new Set<string>();

  const writeFile = (async (p: string, data: string | Uint8Array, o?: unknown) => {
    const path = String(p);
    if (!path.startsWith(objects)) return base.promises.writeFile(path, data, o as never);
    if (staged.has(path)) return; // an object's name is its content: the same bytes are staged already
    const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const fh = await fsp.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o444);
    staged.set(path, { tmp, path, fh });
    await fh.writeFile(data);
  }) as PromisesApi['writeFile'];

  const mkdir = (async (p: string, o?: unknown) => {
    const made = await fsp.mkdir(p, o as never);
    newDirs.add(dirname(String(p)));
    return made;
  }) as PromisesApi['mkdir'];

  const discard = async (): Promise<void> => {
    const all = [...staged.values()];
    staged.clear();
    await Promise.all(all.map(async (s) => {
      await s.fh.close().catch(() => undefined);
      await fsp.unlink(s.tmp).catch(() => undefined);
    }));
  };

  const flush = async (): Promise<void> => {
    const all = [...staged.values()];
    try {
      await Promise.all(all.map(async (s) => {
        await s.fh.sync();
        await s.fh.close();
      }));
      await Promise.all(all.map((s) => fsp.rename(s.tmp, s.path)));
    } catch (e) {
      await discard();
      throw e;
    }
    staged.clear();
    const dirs = new Set([...all.map((s) => dirname(s.path)), ...newDirs]);
    newDirs.clear();
    await Promise.all([...dirs].map(syncDir));
  };

  return { fs: { promises: { ...base.promises, writeFile, mkdir } }, flush, discard };
}
