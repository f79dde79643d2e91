/**
 * The sysfs helper: readTree (a whole subtree in one call) and mgmt (SCST's write protocol).
 * The compiled addon when it is built, else the JavaScript fallback with the same contract.
 * Only reconciler/host/ imports this module.
 */
import { loadAddon, nativeHelper } from './addon.js';
import { fallbackHelper } from './fallback.js';
import type { Implementation, SysfsHelper } from './types.js';

export type { Implementation, MgmtOptions, ReadTreeOptions, SysfsHelper, TreeEntry } from './types.js';
export { skipMatcher, type SkipMatcher } from './skip.js';
export { SysfsError, errnoName, errnoNumber, fsErrorCode } from './errno.js';
export { fallbackHelper } from './fallback.js';
export { nativeHelper } from './addon.js';

let fallbackSaid = false;

/**
 * The helper to use: the addon, unless it is not built or SANFORM_NATIVE=0 asks for the fallback.
 * Decided on first call, not at import. When the addon was wanted but cannot be loaded, that is
 * said once per process on stderr (the fallback is several times slower on a large tree), never
 * silently; `sanform version` says it too.
 */
export function sysfsHelper(opts: { prefer?: Implementation } = {}): SysfsHelper {
  const prefer = opts.prefer ?? (process.env.SANFORM_NATIVE === '0' ? 'fallback' : 'native');
  if (prefer !== 'native') return fallbackHelper;
  const native = nativeHelper();
  if (native) return native;
  if (!fallbackSaid) {
    fallbackSaid = true;
    process.stderr.write(`sanform: the native sysfs helper is not in use: ${loadAddon().reason}; reading sysfs with the JavaScript fallback (slower)\n`);
  }
  return fallbackHelper;
}

/** Which implementation sysfsHelper() gives, and why the addon is not used when it is not. */
export function activeImplementation(): { implementation: Implementation; reason?: string } {
  if (process.env.SANFORM_NATIVE === '0') return { implementation: 'fallback', reason: 'SANFORM_NATIVE=0' };
  const { addon, reason } = loadAddon();
  return addon ? { implementation: 'native' } : { implementation: 'fallback', reason };
}
