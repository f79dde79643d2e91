export { apply, type ApplyOptions, type ApplyResult } from './apply.js';
export { walk, type ChangeResult, type ChangeStatus, type ExecutedOp, type Progress } from './walk.js';
export { runOp, resolveSecrets, attrValue, isScstSysfs } from './ops.js';
export { Journal, readInterrupted, readLastRun, markRecorded, journalPath, type InterruptedRun, type JournalEntry, type JournalChange, type RecordTarget } from './journal.js';
export { acquireLock, applyInProgress, assertNoApplyInProgress, lockPath, pidAlive, type HeldLock, type LockHolder } from './lock.js';
export { StaleError, VerifyError, ExecFailedError, ApplyInProgressError, PlanStaleError } from './errors.js';
