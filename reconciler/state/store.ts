import { createHash } from 'node:crypto';
import { promises as fsp, constants } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import git from 'isomorphic-git';
import { StateError } from './errors.js';
import { stateFs, syncDir, type IsoFs } from './fs.js';

/**
 * The state repository on the boot medium: a bare git repo. `main` holds the desired state
 * people push; sanform writes its records on `refs/sanform/<node>/...`. Every read and commit goes
 * through isomorphic-git; ref updates use git's own lock-file protocol (`<ref>.lock`, O_EXCL) with
 * a compare-and-swap, so they never race a push the git CLI is receiving.
 */
export interface Store {
  gitdir: string;
  fs: IsoFs;
  cache: object;
}

export const DESIRED_REF = 'refs/heads/main';
export const recordRef = (node: string, kind: 'applied' | 'observed'): string => `refs/sanform/${node}/${kind}`;

/** Opens the bare repo at `repo`; `quarantine` is GIT_QUARANTINE_PATH inside a pre-receive hook. */
export async function openStore(repo: string, opts: { quarantine?: string } = {}): Promise<Store> {
  const has = (p: string) => fsp.stat(join(p, 'HEAD')).then(() => true, () => false);
  // a bare repo (the appliance), or the .git of a checkout (CI with the records fetched into it)
  const gitdir = (await has(resolve(repo))) || !(await has(join(resolve(repo), '.git'))) ? resolve(repo) : join(resolve(repo), '.git');
  const ok = await has(gitdir);
  if (!ok) {
    throw new StateError('STATE_REPO_MISSING', `no git repository at ${gitdir}`, {
      data: { repo: gitdir },
      hint: 'create it with `sanform init --repo PATH`, or pass --repo / set SANFORM_REPO',
    });
  }
  return { gitdir, fs: stateFs({ gitdir, quarantine: opts.quarantine }), cache: {} };
}

/** The commit a ref, short or full oid names; undefined when the ref does not exist. */
export async function tryResolve(store: Store, rev: string): Promise<string | undefined> {
  try {
    return await resolveRev(store, rev);
  } catch (e) {
    if (e instanceof StateError && e.code === 'STATE_REV_UNKNOWN') return undefined;
    throw e;
  }
}

/** Resolves a ref name (`main`, `refs/sanform/a/applied`), a full or abbreviated oid. */
export async function resolveRev(store: Store, rev: string): Promise<string> {
  const { fs, gitdir, cache } = store;
  if (!/^[0-9a-f]{40}$/.test(rev)) {
    try {
      return await git.resolveRef({ fs, gitdir, ref: rev });
    } catch {
      /* not a ref name: try an abbreviated oid */
    }
  }
  if (/^[0-9a-f]{4,40}$/.test(rev)) {
    try {
      const oid = await git.expandOid({ fs, gitdir, oid: rev, cache });
      await git.readCommit({ fs, gitdir, oid, cache });
      return oid;
    } catch {
      /* unknown oid, or not a commit */
    }
  }
  throw new StateError('STATE_REV_UNKNOWN', `unknown revision '${rev}'`, { data: { repo: gitdir, rev } });
}

/** The git id of an object of `type` with `content`: sha1 of `<type> <length>\0<content>`. */
const objectOid = (type: ObjectType, content: Buffer): string =>
  createHash('sha1').update(`${type} ${content.length}\0`).update(content).digest('hex');

/** The git blob id of `content`, computed locally (so unchanged blobs are not rewritten). */
export const blobOid = (content: Buffer): string => objectOid('blob', content);

type ObjectType = 'blob' | 'tree' | 'commit';

/**
 * Loose objects are deflated at level 1, git's own default for them (`core.looseCompression`):
 * on JSON like the snapshot files it is five times faster than level 6 for a few percent more
 * bytes. sanform deflates and hashes every object it writes itself, with node:zlib and
 * node:crypto, and hands isomorphic-git the finished loose object: isomorphic-git's own
 * deflate goes through the web CompressionStream, whose first use loads Node's fetch stack
 * (about 20 ms of every apply's record) before it compresses anything.
 */
const LOOSE_LEVEL = 1;

/** Whether the repo has the loose object `oid` already (packed objects are written again, harmlessly). */
const haveLoose = (store: Store, oid: string): Promise<boolean> =>
  fsp.stat(join(store.gitdir, 'objects', oid.slice(0, 2), oid.slice(2))).then(() => true, () => false);

/** Writes one object unless the repo has it as a loose object already; returns its id (`known`: already computed). */
async function putObject(store: Store, type: ObjectType, content: Buffer, known?: string): Promise<string> {
  const oid = known ?? objectOid(type, content);
  if (await haveLoose(store, oid)) return oid;
  const object = deflateSync(Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content]), { level: LOOSE_LEVEL });
  return git.writeObject({ fs: store.fs, gitdir: store.gitdir, type, object, format: 'deflated', oid });
}

/**
 * Writes a blob unless the repo has it already; returns its oid (`known`: already computed).
 * `null` content: the repo has the blob `known` (a tree of it names it), nothing to write.
 */
export async function putBlob(store: Store, content: string | Buffer | null, known?: string): Promise<string> {
  if (content === null) {
    if (!known) throw new TypeError('putBlob: null content needs the blob id');
    return known;
  }
  return putObject(store, 'blob', typeof content === 'string' ? Buffer.from(content) : content, known);
}

/** File contents by path; `null`: a blob the repo has already, named by its id in `oids`. */
export type FileTree = Record<string, string | Buffer | null>;

interface TreeEntry {
  name: string;
  oid: string;
  tree: boolean;
}

/** A tree object's bytes: entries in git's order (a sub-tree sorts as if its name ended in `/`). */
function treeContent(entries: TreeEntry[]): Buffer {
  const key = (e: TreeEntry) => Buffer.from(e.tree ? `${e.name}/` : e.name);
  const sorted = [...entries].sort((a, b) => Buffer.compare(key(a), key(b)));
  return Buffer.concat(sorted.flatMap((e) => [Buffer.from(`${e.tree ? '40000' : '100644'} ${e.name}\0`), Buffer.from(e.oid, 'hex')]));
}

/** Writes a tree of files (paths with `/` make sub-trees); returns the tree oid. `oids`: blob ids already known, by path. */
export async function putTree(store: Store, files: FileTree, oids: Record<string, string> = {}, prefix = ''): Promise<string> {
  const blobs: [string, string | Buffer | null][] = [];
  const sub = new Map<string, FileTree>();
  for (const [path, content] of Object.entries(files)) {
    const cut = path.indexOf('/');
    if (cut < 0) {
      blobs.push([path, content]);
    } else {
      const dir = path.slice(0, cut);
      if (!sub.has(dir)) sub.set(dir, {});
      sub.get(dir)![path.slice(cut + 1)] = content;
    }
  }
  const entries = await Promise.all([
    ...blobs.map(async ([name, content]): Promise<TreeEntry> => ({ name, oid: await putBlob(store, content, oids[prefix + name]), tree: false })),
    ...[...sub].map(async ([name, inner]): Promise<TreeEntry> => ({ name, oid: await putTree(store, inner, oids, `${prefix}${name}/`), tree: true })),
  ]);
  return putObject(store, 'tree', treeContent(entries));
}

/** Who sanform's commits are by. */
export interface Identity {
  name: string;
  email: string;
}

/** Author and committer of sanform's commits: always UTC, so the same input gives the same commit. */
export interface Signature extends Identity {
  /** seconds since the epoch */
  timestamp: number;
}

/** Writes a commit (git's text form, as `git commit` writes it) and returns its oid. */
export function putCommit(store: Store, c: { tree: string; parents: string[]; who: Signature; message: string }): Promise<string> {
  const sig = `${c.who.name} <${c.who.email}> ${c.who.timestamp} +0000`;
  const head = [`tree ${c.tree}`, ...c.parents.map((p) => `parent ${p}`), `author ${sig}`, `committer ${sig}`];
  return putObject(store, 'commit', Buffer.from(`${head.join('\n')}\n\n${c.message}`));
}

/**
 * Moves `ref` from `expect` (undefined: the ref must not exist) to `value`, under git's lock
 * file. Throws STATE_REF_MOVED when someone else moved the ref first, STATE_REF_LOCKED when a
 * writer holds the lock longer than `waitMs`.
 */
export async function updateRef(store: Store, p: { ref: string; value: string; expect: string | undefined; waitMs?: number }): Promise<void> {
  const path = join(store.gitdir, p.ref);
  await fsp.mkdir(dirname(path), { recursive: true });
  const lock = `${path}.lock`;
  const fh = await acquire(lock, p.waitMs ?? 5000, store, p.ref);
  try {
    const now = await tryResolve(store, p.ref);
    if (now !== p.expect) {
      throw new StateError('STATE_REF_MOVED', `${p.ref} moved to ${now ?? 'nothing'} while sanform was writing`, {
        data: { repo: store.gitdir, ref: p.ref },
      });
    }
    await fh.writeFile(`${p.value}\n`);
    await fh.sync();
    await fh.close();
    await fsp.rename(lock, path);
    await syncDir(dirname(path));
  } catch (e) {
    await fh.close().catch(() => undefined);
    await fsp.unlink(lock).catch(() => undefined);
    throw e;
  }
}

async function acquire(lock: string, waitMs: number, store: Store, ref: string): Promise<fsp.FileHandle> {
  const until = Date.now() + waitMs;
  for (;;) {
    try {
      return await fsp.open(lock, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || Date.now() > until) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
          throw new StateError('STATE_REF_LOCKED', `${ref} is locked (${lock})`, { data: { repo: store.gitdir, ref } });
        }
        throw e;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** Reads one file of a commit's tree as text; undefined when absent. */
export async function readText(store: Store, commit: string, filepath: string): Promise<string | undefined> {
  try {
    const { blob } = await git.readBlob({ fs: store.fs, gitdir: store.gitdir, oid: commit, filepath, cache: store.cache });
    return Buffer.from(blob).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Lists the files of a commit's tree (recursively). */
export async function listTree(store: Store, commit: string): Promise<string[]> {
  return git.listFiles({ fs: store.fs, gitdir: store.gitdir, ref: commit, cache: store.cache });
}
