/** Until the engine's reconciler/stack/layer.ts lands here: the same shape (`DRIVER/layer`). */
import type { Resource } from '../../reconciler/core/resource.js';

export function missingLayer(driver: string, why: { unavailable: string; hint: string }): Resource {
  return { address: `${driver}/layer`, kind: `${driver}.layer`, driver, spec: {}, status: { ...why }, deps: [] };
}
