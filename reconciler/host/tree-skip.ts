/**
 * The readTree skip patterns (host.ts ReadTreeOptions) as a matcher, for hosts whose walk is
 * written in JavaScript (the emulators); the same code the native helper's fallback uses.
 */
export { skipMatcher, type SkipMatcher } from '../../native/index.js';
