import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pidAlive } from '../apply/index.js';

/**
 * `<stateDir>/watch.pid` says a watch daemon serves this host: the post-receive hook then hands
 * the new commit to it instead of applying in the hook.
 */
export const watchPidPath = (stateDir: string): string => join(stateDir, 'watch.pid');

export function writeWatchPid(stateDir: string): () => void {
  mkdirSync(stateDir, { recursive: true });
  const file = watchPidPath(stateDir);
  writeFileSync(file, `${process.pid}\n`);
  return () => {
    try {
      if (Number(readFileSync(file, 'utf8')) === process.pid) unlinkSync(file);
    } catch {
      /* already gone */
    }
  };
}

/** The pid of a live watch daemon for this state dir, if any. */
export function runningWatch(stateDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(watchPidPath(stateDir), 'utf8'));
    return pid > 0 && pid !== process.pid && pidAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}
