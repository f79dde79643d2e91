/**
 * The emulated machine's cross-process lock: the shared lock-file protocol of
 * reconciler/lockfile.ts (stale locks of dead processes, reused pids and empty files are broken
 * at once), waited for synchronously because EmulatedFs calls are synchronous (FUSE serves them).
 */
import { SanformError } from '../../reconciler/core/errors.js';
import { tryLock, type LockHolder } from '../../reconciler/lockfile.js';

export class SimLockTimeoutError extends SanformError<'SIM_LOCK_TIMEOUT', { path: string; pid: number }> {
  constructor(path: string, holder: LockHolder) {
    super('SIM_LOCK_TIMEOUT', `could not lock ${path}: held by pid ${holder.pid}`, {
      data: { path, pid: holder.pid },
      hint: 'another process is using the emulated machine; a lock of a process that is gone is broken by itself',
    });
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleepMs = (ms: number): void => void Atomics.wait(sleeper, 0, 0, ms);

/** Takes the lock, runs `fn`, releases it. */
export function withLock<T>(path: string, fn: () => T, timeoutMs = 30_000): T {
  const deadline = Date.now() + timeoutMs;
  let release: () => void;
  for (let i = 0; ; i++) {
    const t = tryLock(path);
    if (t.taken) {
      release = t.release;
      break;
    }
    if (Date.now() > deadline) throw new SimLockTimeoutError(path, t.holder);
    sleepMs(Math.min(1 + i, 20));
  }
  try {
    return fn();
  } finally {
    release();
  }
}
