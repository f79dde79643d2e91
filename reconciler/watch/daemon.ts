import { watchCycle } from './cycle.js';
import { createLoop, type WatchLoop } from './loop.js';
import { writeWatchPid } from './pidfile.js';
import { watchRefs } from './refs.js';
import type { GitopsContext, WatchMemory } from './types.js';

export interface WatchOptions {
  ctx: GitopsContext;
  /** used until the desired state's policy.drift.interval is known (default 60 s). */
  defaultIntervalMs?: number;
  /** overrides policy.drift.interval (tests, --interval). */
  intervalMs?: number;
  debounceMs?: number;
}

/**
 * Starts the watch daemon: ref watcher (chokidar) on the state repo, drift timer, pid file for
 * the post-receive hand-off. Returns the loop; `stop()` ends it cleanly (the CLI calls it on
 * SIGTERM and SIGINT).
 */
export async function startWatch(o: WatchOptions): Promise<WatchLoop & { memory: WatchMemory }> {
  const memory: WatchMemory = {};
  const removePid = writeWatchPid(o.ctx.stateDir);
  const loop = createLoop({
    cycle: async (reasons) => void (await watchCycle(o.ctx, memory, reasons)),
    intervalMs: () => o.intervalMs ?? memory.intervalMs ?? o.defaultIntervalMs ?? 60_000,
    debounceMs: o.debounceMs,
    watchRefs: (onChange) => watchRefs(o.ctx.repo, onChange),
    logger: o.ctx.logger,
  });
  void loop.stopped.then(removePid);
  await loop.start();
  return Object.assign(loop, { memory });
}
