import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { liveHolder, tryLock, type LockHolder } from '../lockfile.js';
import { ApplyInProgressError } from './errors.js';

export { pidAlive, type LockHolder } from '../lockfile.js';

export const lockPath = (stateDir: string): string => join(stateDir, 'lock');

/** The apply lock of a machine, held: release it once (later calls do nothing). */
export interface HeldLock {
  file: string;
  release(): void;
}

/**
 * Takes `stateDir/lock` (reconciler/lockfile.ts: complete from the first instant; a lock of a
 * dead process, a reused pid or an empty file is stale and broken at once). A live holder is
 * waited for up to `timeoutMs`, then APPLY_IN_PROGRESS names it.
 */
export async function acquireLock(stateDir: string, opts: { timeoutMs?: number; pollMs?: number } = {}): Promise<HeldLock> {
  mkdirSync(stateDir, { recursive: true });
  const file = lockPath(stateDir);
  const start = Date.now();
  for (;;) {
    const t = tryLock(file);
    if (t.taken) {
      let held = true;
      return {
        file,
        release: () => {
          if (held) t.release();
          held = false;
        },
      };
    }
    const waited = Date.now() - start;
    if (waited >= (opts.timeoutMs ?? 0)) throw new ApplyInProgressError(file, t.holder, waited);
    await sleep(opts.pollMs ?? 100);
  }
}

/** The live holder of the machine's apply lock other than this process, if an apply is running. */
export function applyInProgress(stateDir: string): LockHolder | undefined {
  const h = liveHolder(lockPath(stateDir));
  return h && h.pid !== process.pid ? h : undefined;
}

/** Throws APPLY_IN_PROGRESS when another process holds the machine's apply lock (plan and drift ask first). */
export function assertNoApplyInProgress(stateDir: string): void {
  const h = applyInProgress(stateDir);
  if (h) throw new ApplyInProgressError(lockPath(stateDir), h, 0);
}
