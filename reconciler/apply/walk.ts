import PQueue from 'p-queue';
import type { Action, Change, Op, Plan } from '../core/change.js';
import type { SecretResolver } from '../core/driver.js';
import type { Host } from '../host/host.js';
import { opCommand } from '../render/commands.js';
import type { Journal } from './journal.js';
import { isScstSysfs, runOp } from './ops.js';

export type ChangeStatus = 'applied' | 'failed' | 'skipped';

export interface ChangeResult {
  address: string;
  action: Action;
  status: ChangeStatus;
  /** failed: what failed (errno for kernel failures), and at which op. */
  error?: { code: string; errno?: string; message: string; op: number };
  /** skipped: the failed change it waited for (directly or through others). */
  skippedBecause?: string;
}

/** One op that was run (secrets masked), in the order it ran. */
export interface ExecutedOp {
  address: string;
  op: number;
  command: string;
  ok: boolean;
}

export interface Progress {
  done: number;
  total: number;
  address: string;
  status: ChangeStatus;
}

interface WalkCtx {
  host: Host;
  secrets?: SecretResolver;
  journal?: Journal;
  onProgress?: (p: Progress) => void;
  /** concurrency for work outside SCST sysfs (exec, files, other sysfs trees). */
  concurrency?: number;
}

function errorOf(e: unknown, op: number): NonNullable<ChangeResult['error']> {
  const err = e as Error & { code?: string; errno?: string; data?: { errno?: string } };
  const errno = err.data?.errno ?? (typeof err.errno === 'string' ? err.errno : undefined);
  return { code: typeof err.code === 'string' ? err.code : 'ERROR', errno, message: err.message, op };
}

/**
 * Who waits for whom, restricted to changes of this plan (deps outside it were blocked or done).
 * Besides the dependency edges, each change with SCST sysfs ops waits for the previous such change
 * in plan order to finish (whatever its outcome): that lane is serial anyway, and this way it
 * runs in exactly the order the plan shows (e.g. a target is enabled after its LUNs and groups).
 */
function graph(changes: readonly Change[]): {
  waiting: Map<string, number>;
  dependents: Map<string, string[]>;
  followers: Map<string, string[]>;
  laneNext: Map<string, string>;
} {
  const known = new Set(changes.map((c) => c.address));
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  const followers = new Map<string, string[]>();
  const laneNext = new Map<string, string>();
  let lastLane: string | undefined;
  for (const c of changes) {
    const deps = c.deps.filter((d) => known.has(d));
    const inLane = c.ops.some(isScstSysfs);
    waiting.set(c.address, deps.length + (inLane && lastLane !== undefined ? 1 : 0));
    if (inLane) {
      if (lastLane !== undefined) laneNext.set(lastLane, c.address);
      lastLane = c.address;
    }
    for (const d of deps) {
      const into = c.follows?.includes(d) ? followers : dependents;
      const list = into.get(d);
      if (list) list.push(c.address);
      else into.set(d, [c.address]);
    }
  }
  return { waiting, dependents, followers, laneNext };
}

/**
 * Walks the change graph: a change starts when every change it waits for has been applied; a
 * failure skips its dependents (transitively) while independent work goes on, and a change that
 * only follows the failed one (`follows`) still runs. Ops under SCST's
 * sysfs run one at a time in one lane, in plan order (its mgmt result file is global); other ops
 * (exec, files, other sysfs trees) run concurrently.
 */
export async function walk(plan: Plan, ctx: WalkCtx): Promise<{ results: ChangeResult[]; executed: ExecutedOp[] }> {
  const run = { ...ctx, lane: new PQueue({ concurrency: 1 }), general: new PQueue({ concurrency: ctx.concurrency ?? 4 }), executed: [] as ExecutedOp[] };
  const changes = plan.changes;
  const byAddr = new Map(changes.map((c) => [c.address, c]));
  const { waiting, dependents, followers, laneNext } = graph(changes);
  const result = new Map<string, ChangeResult>();
  const finish = (r: ChangeResult): void => {
    result.set(r.address, r);
    ctx.onProgress?.({ done: result.size, total: changes.length, address: r.address, status: r.status });
    const next = laneNext.get(r.address);
    if (next !== undefined) unblock(next);
  };
  const skipFrom = (failed: string, root: string): void => {
    for (const d of followers.get(failed) ?? []) unblock(d);
    for (const d of dependents.get(failed) ?? []) {
      if (result.has(d)) continue;
      finish({ address: d, action: byAddr.get(d)!.action, status: 'skipped', skippedBecause: root });
      skipFrom(d, root);
    }
  };
  const unblock = (d: string): void => {
    const left = waiting.get(d)! - 1;
    waiting.set(d, left);
    if (left === 0 && !result.has(d)) start(byAddr.get(d)!);
  };
  const release = (done: string): void => {
    for (const d of [...(dependents.get(done) ?? []), ...(followers.get(done) ?? [])]) unblock(d);
  };
  const pending: Promise<void>[] = [];
  const start = (c: Change): void => {
    pending.push(
      runChange(c, run).then((r) => {
        finish(r);
        if (r.status === 'failed') skipFrom(c.address, c.address);
        else release(c.address);
      }),
    );
  };
  for (const c of changes) if (waiting.get(c.address) === 0) start(c);
  for (let i = 0; i < pending.length; i++) await pending[i];
  // only a hand-edited plan file with a dependency cycle leaves changes that never became ready
  for (const c of changes) if (!result.has(c.address)) finish({ address: c.address, action: c.action, status: 'skipped', skippedBecause: c.deps[0] });
  return { results: changes.map((c) => result.get(c.address)!), executed: run.executed };
}

async function runChange(
  c: Change,
  ctx: WalkCtx & { lane: PQueue; general: PQueue; executed: ExecutedOp[] },
): Promise<ChangeResult> {
  for (let i = 0; i < c.ops.length; i++) {
    const op: Op = c.ops[i];
    const command = opCommand(op, (n) => ctx.secrets?.fingerprint(n));
    const queue = isScstSysfs(op) ? ctx.lane : ctx.general;
    try {
      await queue.add(async () => {
        ctx.journal?.write({ type: 'intent', run: ctx.journal.run, address: c.address, op: i, command });
        await runOp(ctx.host, op, ctx.secrets);
      });
      ctx.journal?.write({ type: 'done', run: ctx.journal.run, address: c.address, op: i, ok: true });
      ctx.executed.push({ address: c.address, op: i, command, ok: true });
    } catch (e) {
      const error = errorOf(e, i);
      ctx.journal?.write({ type: 'done', run: ctx.journal.run, address: c.address, op: i, ok: false, error: error.code });
      ctx.executed.push({ address: c.address, op: i, command, ok: false });
      return { address: c.address, action: c.action, status: 'failed', error };
    }
  }
  return { address: c.address, action: c.action, status: 'applied' };
}
