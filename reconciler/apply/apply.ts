import type { Blocked, Plan } from '../core/change.js';
import type { Driver, SecretResolver } from '../core/driver.js';
import type { Host } from '../host/host.js';
import { Journal, readInterrupted, type InterruptedRun, type JournalChange, type RecordTarget } from './journal.js';
import { acquireLock, type HeldLock } from './lock.js';
import { readBack } from './readback.js';
import { walk, type ChangeResult, type ExecutedOp, type Progress } from './walk.js';

export interface ApplyOptions {
  host: Host;
  plan: Plan;
  /** the drivers the plan was made with (kept for driver-specific apply hooks). */
  drivers?: readonly Driver[];
  secrets?: SecretResolver;
  /** where the lock and the journal live; default `host.stateDir`. */
  stateDir?: string;
  onProgress?: (p: Progress) => void;
  /** how long to wait for another apply's lock; default 0 (fail at once). */
  lockTimeoutMs?: number;
  /**
   * the machine's lock, taken by the caller before it observed and planned (so nobody applies
   * between the plan and this apply); apply then neither takes nor releases it.
   */
  lock?: HeldLock;
  /** where this run's record goes: kept in the journal so a run killed before recording can be recorded by the next. */
  record?: RecordTarget;
  /**
   * runs under the lock before anything is written, e.g. re-observe and refuse a stale plan;
   * throwing aborts the apply with nothing written.
   */
  recheck?: () => Promise<void>;
  concurrency?: number;
}

export interface ApplyResult {
  /** this run's id in the journal. */
  run: string;
  /** true when every change was applied and nothing was blocked. */
  ok: boolean;
  results: ChangeResult[];
  /** every op run, in order, secrets masked: what apply touched. */
  executed: ExecutedOp[];
  blocked: Blocked[];
  /** a previous apply that stopped without finishing (crash, kill), found in the journal. */
  interrupted?: InterruptedRun;
  counts: { applied: number; failed: number; skipped: number; blocked: number };
}

function counts(results: ChangeResult[], blocked: number): ApplyResult['counts'] {
  const c = { applied: 0, failed: 0, skipped: 0, blocked };
  for (const r of results) c[r.status]++;
  return c;
}

/**
 * Applies a plan: takes the machine's lock, reads the journal for an interrupted previous run,
 * runs `recheck`, then walks the change graph with a journal of every op, and reads back every
 * object of a `readBack` driver (readback.ts). Returns what it did;
 * recording the result (git) is the caller's separate step.
 */
export async function apply(o: ApplyOptions): Promise<ApplyResult> {
  const stateDir = o.stateDir ?? o.host.stateDir;
  const lock = o.lock ?? (await acquireLock(stateDir, { timeoutMs: o.lockTimeoutMs ?? 0 }));
  try {
    const interrupted = readInterrupted(stateDir);
    await o.recheck?.();
    const run = `${process.pid}-${Date.now()}`;
    const journal = new Journal(stateDir, run);
    let ok = false;
    try {
      journal.write({
        type: 'begin', run, pid: process.pid, at: new Date().toISOString(),
        observedHash: o.plan.observedHash, changes: o.plan.changes.length,
        ...(interrupted ? { previous: interrupted } : {}),
        ...(o.record ? { record: o.record, plan: journalPlan(o.plan) } : {}),
      });
      const walked = await walk(o.plan, { host: o.host, secrets: o.secrets, journal, onProgress: o.onProgress, concurrency: o.concurrency });
      const { executed } = walked;
      const results = await readBack({ host: o.host, plan: o.plan, drivers: o.drivers ?? [], results: walked.results });
      const c = counts(results, o.plan.blocked.length);
      ok = c.failed === 0 && c.skipped === 0 && c.blocked === 0;
      return { run, ok, results, executed, blocked: o.plan.blocked, ...(interrupted ? { interrupted } : {}), counts: c };
    } finally {
      journal.write({ type: 'end', run, at: new Date().toISOString(), ok });
      journal.close();
    }
  } finally {
    if (!o.lock) lock.release();
  }
}

/** The plan as the journal keeps it for rebuilding a record: every change and every blocked one. */
const journalPlan = (p: Plan) => ({
  changes: p.changes.map((c): JournalChange => [c.address, c.action, c.kind, c.ops.length]),
  blocked: p.blocked.map((b) => ({ address: b.address, action: b.action, hint: b.hint })),
});
