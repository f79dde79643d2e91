/**
 * LocalHost: the Host of the machine sanform runs on (DESIGN §4). sysfs goes through the native
 * helper (or its JavaScript fallback), commands through execa with argv arrays (never a shell),
 * files through the real file system. Roots are configurable so a test, or `--host local:DIR`,
 * can point it at a FUSE mount or a materialized tree instead of the kernel's.
 */
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { posix } from 'node:path';
import { fsErrorCode, sysfsHelper, SysfsError, type Implementation, type SysfsHelper } from '../../native/index.js';
import { ErrnoError } from '../core/errors.js';
import { runCommand, runPipe } from './local-exec.js';
import { readOptional, writeAtomic } from './local-files.js';
import { SCST_ROOT, type ExecOptions, type ExecResult, type FilesApi, type Host, type MgmtOptions, type SysfsApi, type TreeEntry } from './host.js';

export interface LocalHostOptions {
  /** directory that stands for /sys/kernel/scst_tgt (default: /sys/kernel/scst_tgt itself). */
  sysfsRoot?: string;
  /** prefix for every other absolute path, sysfs and files alike (default '/': the real ones). */
  root?: string;
  /** sanform's lock, journal and caches (default /var/lib/sanform). */
  stateDir?: string;
  /** force an implementation of the sysfs helper (default: the addon when built). */
  helper?: Implementation | SysfsHelper;
  /** default deadline and poll interval of mgmt writes. */
  mgmt?: { timeoutMs?: number; pollMs?: number };
  id?: string;
}

export const DEFAULT_STATE_DIR = '/var/lib/sanform';

/** Maps a path of the host's view onto the local file system; rejects relative or `..` paths. */
export function makePathMapper(opts: { sysfsRoot?: string; root?: string }): (p: string) => string {
  const root = opts.root ?? '/';
  return (p: string) => {
    if (!posix.isAbsolute(p) || p.split('/').includes('..')) throw new ErrnoError('EINVAL', { path: p, message: `not an absolute path: ${p}` });
    const norm = posix.normalize(p).replace(/\/$/, '') || '/';
    if (opts.sysfsRoot !== undefined && (norm === SCST_ROOT || norm.startsWith(`${SCST_ROOT}/`))) {
      return posix.join(opts.sysfsRoot, norm.slice(SCST_ROOT.length));
    }
    return root === '/' ? norm : posix.join(root, norm);
  };
}

/** A Node fs error or helper error as the ErrnoError the Host contract promises. */
export function toErrnoError(e: unknown, ctx: { path: string; command?: string }): unknown {
  if (e instanceof ErrnoError) return e;
  const code = e instanceof SysfsError ? e.code : fsErrorCode(e);
  return code ? new ErrnoError(code, { path: ctx.path, command: ctx.command, cause: e }) : e;
}

async function mapErrors<T>(ctx: { path: string; command?: string }, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toErrnoError(e, ctx);
  }
}

/**
 * Reads a file to EOF whatever its st_size says: sysfs reports 4096 for every attribute and an
 * emulated one may change between stat and read, so the size is never trusted.
 */
async function readText(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    for (;;) {
      const buf = Buffer.allocUnsafe(4096);
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    await fh.close();
  }
}

function makeSysfs(map: (p: string) => string, helper: SysfsHelper, defaults: LocalHostOptions['mgmt']): SysfsApi {
  const write = (path: string, command: string, opts: MgmtOptions = {}) =>
    mapErrors({ path, command }, () => {
      const inScst = path.startsWith(`${SCST_ROOT}/`);
      const resultFile = opts.resultFile ?? (inScst ? `${SCST_ROOT}/last_sysfs_mgmt_res` : undefined);
      return helper.mgmt(map(path), command, {
        resultFile: resultFile === undefined ? undefined : map(resultFile),
        timeoutMs: opts.timeoutMs ?? defaults?.timeoutMs,
        pollMs: opts.pollMs ?? defaults?.pollMs,
      });
    });
  return {
    read: (path) => mapErrors({ path }, () => readText(map(path))),
    // sorted by name: the kernel's own order (kernfs: hash order) carries no meaning
    list: (path) => mapErrors({ path }, async () => (await readdir(map(path))).sort()),
    readlink: (path) => mapErrors({ path }, () => readlink(map(path))),
    exists: (path) =>
      mapErrors({ path }, async () => {
        try {
          await lstat(map(path));
          return true;
        } catch (e) {
          if ((e as { code?: string }).code === 'ENOENT' || (e as { code?: string }).code === 'ENOTDIR') return false;
          throw e;
        }
      }),
    readTree: (root, opts): Promise<TreeEntry[]> => mapErrors({ path: root }, () => helper.readTree(map(root), opts)),
    mgmt: write,
    writeAttr: write,
  };
}

/** Creates the Host of this machine (or of the roots given). No I/O until a method is called. */
export function createLocalHost(opts: LocalHostOptions = {}): Host {
  const map = makePathMapper(opts);
  let helper: SysfsHelper | undefined = typeof opts.helper === 'object' ? opts.helper : undefined;
  const lazyHelper = (): SysfsHelper => (helper ??= sysfsHelper({ prefer: opts.helper as Implementation | undefined }));
  const deferred: SysfsHelper = {
    get implementation() {
      return lazyHelper().implementation;
    },
    readTree: (root, o) => lazyHelper().readTree(root, o),
    mgmt: (path, command, o) => lazyHelper().mgmt(path, command, o),
  };
  const files: FilesApi = {
    read: (path) => mapErrors({ path }, () => readOptional(map(path))),
    writeAtomic: (path, content, mode) => mapErrors({ path }, () => writeAtomic(map(path), content, mode)),
  };
  return {
    id: opts.id ?? (opts.sysfsRoot ? `local:${opts.sysfsRoot}` : 'local'),
    sysfs: makeSysfs(map, deferred, opts.mgmt),
    exec: (argv: string[], o?: ExecOptions): Promise<ExecResult> => runCommand(argv, o),
    pipe: runPipe,
    files,
    stateDir: opts.stateDir ?? DEFAULT_STATE_DIR,
    hostname: async () => osHostname(),
  } satisfies Host;
}
