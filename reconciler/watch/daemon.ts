import { watchCycle } from './cycle.js';
import { createLoop, type WatchLoop } from './loop.js';
import { writeWatchPid } from './pidfile.js';
import { watchRefs } from './refs.js';
import type { GitopsContext, WatchMemory } from './types.js';

/** A failing cycle (repo unmounted, host unreachable...) is alerted once until its error changes. */
async function alertCycleError(ctx: GitopsContext, memory: WatchMemory, e: unknown): Promise<void> {
  const err = e as { code?: string; message?: string };
  const code = String(err.code ?? 'WATCH_CYCLE_FAILED');
  if (memory.lastError === code) return;
  memory.lastError = code;
  await ctx.alerter.raise({
    kind: 'watch-error', severity: 'warning', node: ctx.node, time: new Date().toISOString(),
    summary: `sanform watch on ${ctx.node}: a cycle failed (${code}); retrying every interval`,
    error: { code, message: String(err.message ?? e) },
  });
}

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
    cycle: async (reasons) => {
      try {
        await watchCycle(o.ctx, memory, reasons);
        memory.lastError = undefined;
      } catch (e) {
        await alertCycleError(o.ctx, memory, e);
        throw e;
      }
    },
    intervalMs: () => o.intervalMs ?? memory.intervalMs ?? o.defaultIntervalMs ?? 60_000,
    debounceMs: o.debounceMs,
    watchRefs: (onChange) => watchRefs(o.ctx.repo, onChange),
    logger: o.ctx.logger,
  });
  void loop.stopped.then(removePid);
  await loop.start();
  return Object.assign(loop, { memory });
}
