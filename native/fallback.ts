/**
 * The JavaScript fallback: the same contract as the addon (types.ts) with fs.promises, used where
 * the addon is not built. Slower on big trees (one promise round trip per syscall), same results.
 */
import { constants, type Dirent } from 'node:fs';
import { lstat, open, opendir, readlink, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirEntry, errorEntry, fileEntry, linkEntry, unreadFileEntry } from './entries.js';
import { SysfsError, errnoName, errnoNumber, fsErrorCode } from './errno.js';
import { skipMatcher, type SkipMatcher } from './skip.js';
import { DEFAULT_POLL_MS, DEFAULT_TIMEOUT_MS, type MgmtOptions, type ReadTreeOptions, type SysfsHelper, type TreeEntry } from './types.js';

const MAX_READ = 4096;
/** fs operations in flight at once: enough to keep libuv's pool busy, far below the fd limit. */
const MAX_IN_FLIGHT = 32;

/** A tiny semaphore bounding the fs operations (and file descriptors) in flight. */
function limiter(max: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: Array<() => void> = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((r) => queue.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}
const { O_RDONLY, O_WRONLY, O_NOFOLLOW, O_NONBLOCK, O_DIRECTORY } = constants;
const PERM = 0o7777;

type Kind = 'dir' | 'file' | 'link' | 'other';

const kindOfMode = (mode: number): Kind =>
  (mode & constants.S_IFMT) === constants.S_IFDIR
    ? 'dir'
    : (mode & constants.S_IFMT) === constants.S_IFREG
      ? 'file'
      : (mode & constants.S_IFMT) === constants.S_IFLNK
        ? 'link'
        : 'other';

const kindOfDirent = (d: Dirent): Kind | undefined =>
  d.isDirectory() ? 'dir' : d.isFile() ? 'file' : d.isSymbolicLink() ? 'link' : d.isFIFO() || d.isSocket() || d.isBlockDevice() || d.isCharacterDevice() ? 'other' : undefined;

/** lstat, or undefined when the entry vanished. */
async function lstatOrGone(abs: string) {
  try {
    return await lstat(abs);
  } catch {
    return undefined;
  }
}

/** One read(2) of at most 4096 bytes from an open file. */
async function readPage(fh: FileHandle): Promise<string | { error: string }> {
  const buf = Buffer.allocUnsafe(MAX_READ);
  try {
    const { bytesRead } = await fh.read(buf, 0, MAX_READ, null);
    return buf.toString('utf8', 0, bytesRead);
  } catch (e) {
    return { error: fsErrorCode(e) ?? 'EIO' };
  }
}

const slot = limiter(MAX_IN_FLIGHT);

/** A file's entry, or its new kind when it turned out not to be a file (raced change). */
async function visitFile(abs: string, rel: string): Promise<TreeEntry[] | Kind> {
  let fh: FileHandle;
  try {
    fh = await open(abs, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (e) {
    const st = fsErrorCode(e) === 'ENOENT' ? undefined : await lstatOrGone(abs);
    if (!st) return [];
    const kind = kindOfMode(st.mode);
    if (kind !== 'file') return kind;
    return [errorEntry(rel, 'file', st.mode & PERM, fsErrorCode(e) ?? 'EIO')];
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return [];
    const r = await readPage(fh);
    return [typeof r === 'string' ? fileEntry(rel, st.mode & PERM, r) : errorEntry(rel, 'file', st.mode & PERM, r.error)];
  } finally {
    await fh.close();
  }
}

/** A directory's mode, its error entry, or its new kind. */
async function openDir(abs: string, rel: string): Promise<number | TreeEntry[] | Kind> {
  let fh: FileHandle;
  try {
    fh = await open(abs, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  } catch (e) {
    const st = fsErrorCode(e) === 'ENOENT' ? undefined : await lstatOrGone(abs);
    if (!st) return [];
    const kind = kindOfMode(st.mode);
    if (kind !== 'dir') return kind;
    return [errorEntry(rel, 'dir', st.mode & PERM, fsErrorCode(e) ?? 'EIO')];
  }
  try {
    return (await fh.stat()).mode & PERM;
  } finally {
    await fh.close();
  }
}

async function visitLink(abs: string, rel: string): Promise<TreeEntry[] | Kind> {
  const st = await lstatOrGone(abs);
  if (!st) return [];
  if (!st.isSymbolicLink()) return kindOfMode(st.mode);
  try {
    return [linkEntry(rel, st.mode & PERM, await readlink(abs))];
  } catch {
    return [];
  }
}

/** A file or directory the caller asked not to read: its entry from one lstat, or its new kind. */
async function visitUnread(abs: string, rel: string, kind: 'dir' | 'file'): Promise<TreeEntry[] | Kind> {
  const st = await lstatOrGone(abs);
  if (!st) return [];
  const now = kindOfMode(st.mode);
  if (now !== kind) return now;
  return [kind === 'dir' ? dirEntry(rel, st.mode & PERM) : unreadFileEntry(rel, st.mode & PERM)];
}

/**
 * One entry. Leaf work runs in a slot of the limiter; a directory holds no slot while its
 * children are walked (that could starve the walk), and raced kind changes re-dispatch here.
 */
async function visit(abs: string, rel: string, kind: Kind | undefined, skip: SkipMatcher | undefined): Promise<TreeEntry[]> {
  let r: TreeEntry[] | Kind | number;
  if (kind === undefined) {
    const st = await slot(() => lstatOrGone(abs));
    return st ? visit(abs, rel, kindOfMode(st.mode), skip) : [];
  }
  if ((kind === 'file' || kind === 'dir') && (kind === 'dir' ? skip?.dir(rel) : skip?.content(rel))) {
    r = await slot(() => visitUnread(abs, rel, kind));
  } else if (kind === 'file') r = await slot(() => visitFile(abs, rel));
  else if (kind === 'link') r = await slot(() => visitLink(abs, rel));
  else if (kind === 'dir') {
    r = await slot(() => openDir(abs, rel));
    if (typeof r === 'number') return [dirEntry(rel, r), ...(await walkChildren(abs, rel, skip))];
  } else return []; // FIFOs, sockets, device nodes: never opened
  return typeof r === 'string' ? visit(abs, rel, r, skip) : (r as TreeEntry[]);
}

/** Children of a directory, sorted by name, visited concurrently, returned in order. */
async function walkChildren(abs: string, rel: string, skip: SkipMatcher | undefined): Promise<TreeEntry[]> {
  const children = await slot(async () => {
    const out: Dirent[] = [];
    try {
      for await (const d of await opendir(abs)) out.push(d);
    } catch {
      return [];
    }
    return out;
  });
  children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const parts = await Promise.all(
    children.map((d) => visit(`${abs}/${d.name}`, rel === '' ? d.name : `${rel}/${d.name}`, kindOfDirent(d), skip)),
  );
  return parts.flat();
}

async function readTree(root: string, opts?: ReadTreeOptions): Promise<TreeEntry[]> {
  let fh: FileHandle;
  try {
    fh = await open(root, O_RDONLY);
  } catch (e) {
    throw rootError(e, root);
  }
  let st;
  try {
    st = await fh.stat();
    if (st.isFile()) {
      const r = await readPage(fh);
      return [typeof r === 'string' ? fileEntry('', st.mode & PERM, r) : errorEntry('', 'file', st.mode & PERM, r.error)];
    }
  } finally {
    await fh.close();
  }
  if (!st.isDirectory()) return [];
  return [dirEntry('', st.mode & PERM), ...(await walkChildren(root, '', skipMatcher(opts)))];
}

const rootError = (e: unknown, path: string): SysfsError => {
  const code = fsErrorCode(e) ?? 'EIO';
  return new SysfsError({ code, errno: errnoNumber(code), stage: 'read', path, cause: e });
};

/** One poll: 'EAGAIN' while SCST has work pending, else the command's errno name or null for success. */
async function pollResult(file: string): Promise<{ code: string | null; stage: 'result' | 'command' }> {
  let fh: FileHandle;
  try {
    fh = await open(file, O_RDONLY);
  } catch (e) {
    return { code: fsErrorCode(e) ?? 'EIO', stage: 'result' };
  }
  try {
    const buf = Buffer.alloc(64);
    const { bytesRead } = await fh.read(buf, 0, 64, 0);
    const text = buf.toString('utf8', 0, bytesRead).trim();
    if (!/^(0|-[0-9]+)$/.test(text)) return { code: 'EIO', stage: 'result' };
    const n = -Number(text);
    return n === 0 ? { code: null, stage: 'command' } : { code: errnoName(n), stage: 'command' };
  } catch (e) {
    return { code: fsErrorCode(e) ?? 'EIO', stage: 'result' };
  } finally {
    await fh.close();
  }
}

/** SCST's write protocol (scst-sysfs.md §4.1) with one fs write. */
async function mgmt(path: string, command: string, opts: MgmtOptions = {}): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pollMs = opts.pollMs ?? DEFAULT_POLL_MS;
  const deadline = Date.now() + timeoutMs;
  const fail = (code: string, stage: SysfsError['stage'], cause?: unknown): SysfsError =>
    new SysfsError({ code, errno: errnoNumber(code), stage, path, cause });
  let fh: FileHandle;
  try {
    fh = await open(path, O_WRONLY);
  } catch (e) {
    throw fail(fsErrorCode(e) ?? 'EIO', 'open', e);
  }
  const buf = Buffer.from(command, 'utf8');
  let written: number;
  try {
    written = (await fh.write(buf, 0, buf.length, null)).bytesWritten;
  } catch (e) {
    const code = fsErrorCode(e) ?? 'EIO';
    if (code !== 'EAGAIN' || !opts.resultFile) throw fail(code, 'write', e);
    written = -1;
  } finally {
    await fh.close();
  }
  if (written === buf.length) return;
  if (written >= 0) throw fail('EIO', 'write');
  for (;;) {
    const r = await pollResult(opts.resultFile!);
    if (r.code === null) return;
    if (r.code !== 'EAGAIN' || r.stage !== 'result') throw fail(r.code, r.stage);
    const left = deadline - Date.now();
    if (left <= 0) throw fail('ETIMEDOUT', 'timeout');
    await sleep(Math.min(left, pollMs));
  }
}

export const fallbackHelper = { implementation: 'fallback', readTree, mgmt } as const satisfies SysfsHelper;
