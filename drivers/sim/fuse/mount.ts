/**
 * The parent side of a FUSE mount of the SCST emulator: start the server child, wait until the
 * mount answers, recover a stale mount first, unmount cleanly. Never touches the mount point with
 * a call that could hang in this process: liveness is probed from a `stat` child with a timeout,
 * and mounts are found in /proc/self/mountinfo.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { SanformError } from '../../../reconciler/core/errors.js';
import { findMount, serverPid, type MountEntry } from './mountinfo.js';

export class FuseMountError extends SanformError<'FUSE_MOUNT_FAILED' | 'FUSE_ALREADY_MOUNTED' | 'FUSE_UNMOUNT_FAILED' | 'FUSE_NOT_MOUNTED', { mountpoint: string }> {}

/** What the server serves: the SCST emulator of a sim DIR. */
export type FuseSource = { sim: string };

export interface MountedFs {
  mountpoint: string;
  pid: number;
  /** the server; only in the process that started it. */
  child: ChildProcess;
  unmount(): Promise<void>;
}

const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Absolute mount point without stat()ing it (it may be a hung mount): resolves its parent only. */
export function mountPath(p: string): string {
  const abs = resolve(p);
  try {
    return join(realpathSync(dirname(abs)), basename(abs));
  } catch {
    return abs;
  }
}

/** Why FUSE cannot be used here, or undefined when it can (tests skip with this reason). */
export function fuseUnavailable(): string | undefined {
  if (!existsSync('/dev/fuse')) return '/dev/fuse is absent';
  try {
    closeSync(openSync('/dev/fuse', 'r+'));
  } catch (e) {
    return `/dev/fuse cannot be opened (${(e as { code?: string }).code})`;
  }
  try {
    import.meta.resolve('fuse-native');
  } catch {
    return 'the optional dependency fuse-native is not installed';
  }
  return undefined;
}

/** Whether the mount answers: 'live', 'dead' (ENOTCONN: its server is gone) or 'hung'. */
export async function probeMount(mountpoint: string, timeoutMs = 2000): Promise<'live' | 'dead' | 'hung'> {
  const r = await execa('stat', ['-c', '%i', mountpoint], { reject: false, timeout: timeoutMs, forceKillAfterDelay: 500 });
  if (r.timedOut) return 'hung';
  return r.exitCode === 0 ? 'live' : 'dead';
}

/** Aborts a hung FUSE connection (toolchain.md: fusectl, write 1 to <conn>/abort). */
async function abortConnection(m: MountEntry): Promise<void> {
  const conns = '/sys/fs/fuse/connections';
  if (!existsSync(conns) || readdirSync(conns).length === 0) {
    await execa('mount', ['-t', 'fusectl', 'none', conns], { reject: false });
  }
  const minor = m.device.split(':')[1];
  if (minor && existsSync(join(conns, minor, 'abort'))) writeFileSync(join(conns, minor, 'abort'), '1');
}

/** Unmounts whatever is left at `mountpoint` after its server died or hung. */
async function forceUnmount(mountpoint: string, m: MountEntry, state: 'dead' | 'hung'): Promise<void> {
  if (state === 'hung') await abortConnection(m);
  const pid = serverPid(m);
  if (pid) killQuietly(pid, 'SIGKILL');
  const fu = await execa('fusermount', ['-u', '-z', mountpoint], { reject: false, timeout: 5000 });
  if (fu.exitCode !== 0) await execa('umount', ['-l', mountpoint], { reject: false, timeout: 5000 });
}

function killQuietly(pid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/**
 * Clears a stale mount (server dead or hung) at `mountpoint`; refuses a live one, which belongs
 * to a running server (`sanform sim umount` stops it).
 */
export async function recoverStale(mountpoint: string): Promise<void> {
  const m = findMount(mountpoint);
  if (!m) return;
  const state = await probeMount(mountpoint);
  if (state === 'live') {
    throw new FuseMountError('FUSE_ALREADY_MOUNTED', `${mountpoint} is already mounted (${m.source})`, {
      data: { mountpoint },
      hint: `unmount it first: sanform sim umount ${mountpoint}`,
    });
  }
  await forceUnmount(mountpoint, m, state);
  if (findMount(mountpoint)) throw new FuseMountError('FUSE_UNMOUNT_FAILED', `could not clear the stale mount at ${mountpoint}`, { data: { mountpoint } });
}

async function waitUntil(cond: () => boolean, timeoutMs: number, stepMs = 25): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(stepMs)) if (cond()) return true;
  return cond();
}

/** Reads the child's stdout until it says `ready`; rejects when it exits first or is too slow. */
function waitReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((res, rej) => {
    let out = '';
    const timer = setTimeout(() => done(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const onData = (b: Buffer) => {
      out += b.toString();
      if (out.split('\n').includes('ready')) done();
    };
    const onExit = (code: number | null, sig: string | null) => done(new Error(`server exited (${sig ?? code}) before the mount was ready`));
    function done(err?: Error) {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      if (err) rej(err);
      else res();
    }
    child.stdout!.on('data', onData);
    child.on('exit', onExit);
  });
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));

export interface MountOptions {
  source: FuseSource;
  mountpoint: string;
  /** detach the server so it outlives this process (`sanform sim mount --background`). */
  background?: boolean;
  /** the server's stderr goes here (default: inherited). */
  logFile?: string;
  timeoutMs?: number;
}

/** Mounts the source at `mountpoint` (created if missing) and resolves once the mount answers. */
export async function mountFs(opts: MountOptions): Promise<MountedFs> {
  const mnt = mountPath(opts.mountpoint);
  const fail = (msg: string, cause?: unknown) => new FuseMountError('FUSE_MOUNT_FAILED', `cannot mount ${mnt}: ${msg}`, { data: { mountpoint: mnt }, cause });
  const why = fuseUnavailable();
  if (why) throw fail(why);
  await recoverStale(mnt);
  mkdirSync(mnt, { recursive: true });
  const src = ['--sim', resolve(opts.source.sim)];
  const log = opts.logFile ? openSync(opts.logFile, 'a') : 'inherit';
  const tail = opts.background ? [] : ['--exit-with-parent'];
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), SERVER, ...src, mnt, ...tail], {
    // a foreground server reads end of file on stdin when this process dies, however it dies
    stdio: [opts.background ? 'ignore' : 'pipe', 'pipe', log],
    detached: !!opts.background,
  });
  if (typeof log === 'number') closeSync(log);
  try {
    await waitReady(child, opts.timeoutMs ?? 30_000);
    const m = findMount(mnt);
    if (!m || serverPid(m) !== child.pid) throw new Error('the mount is not listed in /proc/self/mountinfo');
    if ((await probeMount(mnt)) !== 'live') throw new Error('the mount does not answer');
  } catch (e) {
    child.kill('SIGKILL');
    await exited(child);
    if (findMount(mnt)) await execa('fusermount', ['-u', '-z', mnt], { reject: false });
    throw fail((e as Error).message, e);
  }
  if (opts.background) {
    child.stdout!.destroy();
    child.unref();
  }
  return {
    mountpoint: mnt,
    pid: child.pid!,
    child,
    unmount: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited(child);
        clearTimeout(t);
      }
      await unmountFs(mnt, { ifMounted: true });
    },
  };
}

/**
 * Stops the server of a sanform mount and waits until the mount is gone; a server that does not
 * stop in time, or a dead or hung mount, is cleared by force. Refuses mounts that are not sanform's.
 */
export async function unmountFs(mountpoint: string, opts: { ifMounted?: boolean; timeoutMs?: number } = {}): Promise<void> {
  const mnt = mountPath(mountpoint);
  const m = findMount(mnt);
  const data = { mountpoint: mnt };
  if (!m) {
    if (opts.ifMounted) return;
    throw new FuseMountError('FUSE_NOT_MOUNTED', `nothing is mounted at ${mnt}`, { data });
  }
  if (m.fsType !== 'fuse.sanform') throw new FuseMountError('FUSE_UNMOUNT_FAILED', `${mnt} is not a sanform mount (${m.fsType})`, { data });
  const pid = serverPid(m);
  const gone = () => !findMount(mnt) || findMount(mnt)!.device !== m.device;
  if (pid && killQuietly(pid, 'SIGTERM') && (await waitUntil(gone, opts.timeoutMs ?? 10_000))) {
    await waitUntil(() => !killQuietly(pid, 0), 5000);
    return;
  }
  const state = await probeMount(mnt);
  await forceUnmount(mnt, m, state === 'hung' ? 'hung' : 'dead');
  if (!gone()) throw new FuseMountError('FUSE_UNMOUNT_FAILED', `could not unmount ${mnt}`, { data });
}
