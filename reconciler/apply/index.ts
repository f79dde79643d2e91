export { apply, type ApplyOptions, type ApplyResult } from './apply.js';
export { walk, type ChangeResult, type ChangeStatus, type ExecutedOp, type Progress } from './walk.js';
export { runOp, resolveSecrets, attrValue, isScstSysfs } from './ops.js';
export { Journal, readInterrupted, journalPath, type InterruptedRun, type JournalEntry } from './journal.js';
export { acquireLock, pidAlive, type LockHolder } from './lock.js';
export { StaleError, VerifyError, ExecFailedError, LockedError, PlanStaleError } from './errors.js';
