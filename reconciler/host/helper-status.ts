/**
 * Which sysfs helper a local host uses: the compiled addon, or the JavaScript fallback and why.
 * For `sanform version`; the CLI may not import native/ itself.
 */
import { activeImplementation } from '../../native/index.js';

export interface HelperStatus {
  implementation: 'native' | 'fallback';
  /** why the addon is not used (not built, failed to load, SANFORM_NATIVE=0). */
  reason?: string;
}

export const sysfsHelperStatus = (): HelperStatus => activeImplementation();
