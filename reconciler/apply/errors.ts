import { SanformError } from '../core/errors.js';

/** The live value differs from what the plan expected before a write (someone changed it). */
export class StaleError extends SanformError<'STALE', { path: string; expected: string; actual: string }> {
  constructor(path: string, expected: string, actual: string) {
    super('STALE', `${path} is ${JSON.stringify(actual)}, the plan expected ${JSON.stringify(expected)}`, {
      data: { path, expected, actual },
      hint: 'the live state moved since the plan: run plan again',
    });
  }
}

/** The read-back after an op does not show its effect. */
export class VerifyError extends SanformError<'VERIFY_FAILED', { path: string; expected: string; actual: string }> {
  constructor(path: string, expected: string, actual: string) {
    super('VERIFY_FAILED', `after the write ${path} is ${actual}, expected ${expected}`, { data: { path, expected, actual } });
  }
}

/** A command run by an `exec` op exited non-zero. */
export class ExecFailedError extends SanformError<'EXEC_FAILED', { argv: string[]; exitCode: number; stderr: string }> {
  constructor(argv: string[], exitCode: number, stderr: string) {
    super('EXEC_FAILED', `${argv[0]} exited ${exitCode}: ${stderr.trim().split('\n').slice(-1)[0] ?? ''}`, {
      data: { argv, exitCode, stderr },
    });
  }
}

/**
 * Another sanform process holds the machine's apply lock: an apply is running there. Nothing was
 * observed or written; the CLI exits 3 (docs: exit codes).
 */
export class ApplyInProgressError extends SanformError<'APPLY_IN_PROGRESS', { lockFile: string; pid: number; since?: string; waitedMs: number }> {
  constructor(lockFile: string, holder: { pid: number; since?: string }, waitedMs: number) {
    super('APPLY_IN_PROGRESS', `an apply is in progress on this machine (pid ${holder.pid}${holder.since ? `, since ${holder.since}` : ''}); nothing was done`, {
      data: { lockFile, pid: holder.pid, since: holder.since, waitedMs },
      hint: 'run it again when that apply has finished, or wait for it with --lock-timeout',
    });
  }
}

/** A saved plan was made against a live state that has changed since. */
export class PlanStaleError extends SanformError<'PLAN_STALE', { planned: string; current: string }> {
  constructor(planned: string, current: string) {
    super('PLAN_STALE', `the live state changed since the plan was made (${planned.slice(0, 19)} -> ${current.slice(0, 19)})`, {
      data: { planned, current },
      hint: 'run plan again and apply the new plan',
    });
  }
}
