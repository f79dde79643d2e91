import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LockedError } from './errors.js';

export interface LockHolder {
  pid: number;
  since?: string;
}

/** Whether a process id is alive (EPERM means it exists but belongs to someone else). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
    return typeof o.pid === 'number' ? o : { pid: 0 };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { pid: 0 }; // half-written or garbage: treated as stale
  }
}

function tryCreate(file: string): boolean {
  try {
    const fd = openSync(file, 'wx', 0o644);
    writeSync(fd, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
    closeSync(fd);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/**
 * Takes `stateDir/lock` (O_EXCL, holding our pid). A lock whose pid is dead is stale and taken
 * over; a live holder is waited for up to `timeoutMs`, then LOCKED names it. Returns the release.
 */
export async function acquireLock(stateDir: string, opts: { timeoutMs?: number; pollMs?: number } = {}): Promise<() => void> {
  mkdirSync(stateDir, { recursive: true });
  const file = join(stateDir, 'lock');
  const start = Date.now();
  for (;;) {
    if (tryCreate(file)) {
      return () => {
        if (readHolder(file)?.pid === process.pid) unlinkSync(file);
      };
    }
    const holder = readHolder(file);
    if (holder && !(holder.pid > 0 && pidAlive(holder.pid))) {
      try {
        unlinkSync(file); // stale: its process is gone
      } catch {
        /* someone else removed it first */
      }
      continue;
    }
    const waited = Date.now() - start;
    if (holder && waited >= (opts.timeoutMs ?? 0)) throw new LockedError(file, holder, waited);
    await sleep(opts.pollMs ?? 100);
  }
}
