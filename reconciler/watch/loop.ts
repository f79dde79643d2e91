import type { AlertLogger } from '../alerts/types.js';

/** Why a cycle runs: start-up, a ref moved (a push), or the drift interval elapsed. */
export type Trigger = 'start' | 'ref' | 'interval';

export interface LoopOptions {
  /** one reconcile pass; whatever it throws is logged and the loop goes on. */
  cycle(reasons: ReadonlySet<Trigger>): Promise<void>;
  /** read before each wait, so a pushed change of policy.drift.interval takes effect. */
  intervalMs(): number;
  /** ref events closer together than this make one cycle (a push moves several files). */
  debounceMs?: number;
  /** subscribes to ref changes; resolves to the unsubscribe function. */
  watchRefs?(onChange: () => void): Promise<() => Promise<void>>;
  logger: AlertLogger;
}

export interface WatchLoop {
  start(): Promise<void>;
  /** stops timers and the ref watcher, then waits for a running cycle to finish. */
  stop(): Promise<void>;
  /** asks for a cycle (coalesced with any pending one). */
  trigger(reason: Trigger): void;
  /** resolves when stop() completed. */
  readonly stopped: Promise<void>;
}

/**
 * The watch daemon's scheduler: level-triggered, one cycle at a time. Triggers that arrive during
 * a cycle are merged into one follow-up cycle; the interval timer is re-armed after each cycle, so
 * slow cycles never pile up. A cycle that throws is logged; nothing ends the loop but stop().
 */
export function createLoop(o: LoopOptions): WatchLoop {
  let pending = new Set<Trigger>();
  let running: Promise<void> | undefined;
  let stopping = false;
  let interval: NodeJS.Timeout | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let unwatch: (() => Promise<void>) | undefined;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));

  const arm = () => {
    clearTimeout(interval);
    if (!stopping) interval = setTimeout(() => trigger('interval'), Math.max(10, o.intervalMs()));
  };

  const drain = async () => {
    while (pending.size > 0 && !stopping) {
      const reasons = pending;
      pending = new Set();
      try {
        await o.cycle(reasons);
      } catch (e) {
        const err = e as { code?: string; message?: string };
        o.logger.error({ code: err.code, error: err.message ?? String(e), reasons: [...reasons] }, 'watch cycle failed; continuing');
      }
    }
    running = undefined;
    arm();
  };

  function trigger(reason: Trigger): void {
    if (stopping) return;
    pending.add(reason);
    if (!running) running = drain();
  }

  return {
    stopped,
    trigger,
    async start() {
      if (o.watchRefs) {
        unwatch = await o.watchRefs(() => {
          clearTimeout(debounce);
          debounce = setTimeout(() => trigger('ref'), o.debounceMs ?? 300);
        });
      }
      trigger('start');
    },
    async stop() {
      stopping = true;
      clearTimeout(interval);
      clearTimeout(debounce);
      await unwatch?.().catch(() => undefined);
      await running;
      resolveStopped();
    },
  };
}
