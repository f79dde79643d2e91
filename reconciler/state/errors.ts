import { SanformError } from '../core/errors.js';

/** Codes raised by the git state store. Tests check these, never message text. */
export type StateErrorCode =
  | 'STATE_REPO_MISSING'
  | 'STATE_REPO_EXISTS'
  | 'STATE_REV_UNKNOWN'
  | 'STATE_NO_DESIRED'
  | 'STATE_NO_RECORD'
  | 'STATE_REF_MOVED'
  | 'STATE_REF_LOCKED'
  | 'STATE_WRITE_FAILED'
  | 'STATE_FETCH_FAILED';

/** A failure of the state repository (missing repo, unknown revision, medium not writable...). */
export class StateError extends SanformError<StateErrorCode, { repo?: string; ref?: string; rev?: string; errno?: string }> {}
