/**
 * A synchronous cross-process lock file (O_EXCL create, holder's pid inside, stale locks of dead
 * processes are broken). Synchronous because EmulatedFs calls are synchronous (FUSE serves them).
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { SanformError } from '../../reconciler/core/errors.js';

export class SimLockTimeoutError extends SanformError<'SIM_LOCK_TIMEOUT', { path: string }> {
  constructor(path: string) {
    super('SIM_LOCK_TIMEOUT', `could not lock ${path}`, { data: { path }, hint: 'another process holds the emulated machine; remove the lock file if it is stale' });
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleepMs = (ms: number): void => void Atomics.wait(sleeper, 0, 0, ms);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock, runs `fn`, releases it. */
export function withLock<T>(path: string, fn: () => T, timeoutMs = 30_000): T {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; ; i++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let pid = 0;
      try {
        pid = Number(readFileSync(path, 'utf8'));
      } catch {
        continue;
      }
      if (pid > 0 && pid !== process.pid && !alive(pid)) {
        try {
          unlinkSync(path);
        } catch {
          /* someone else broke it */
        }
        continue;
      }
      if (Date.now() > deadline) throw new SimLockTimeoutError(path);
      sleepMs(Math.min(1 + i, 20));
    }
  }
  try {
    return fn();
  } finally {
    unlinkSync(path);
  }
}
