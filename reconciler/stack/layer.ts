/**
 * A layer the machine lacks (no mdadm, the btier module not loaded): the driver's observe
 * returns one resource `DRIVER/layer` (kind `DRIVER.layer`) whose status says why, instead of
 * failing. Every change of that driver is then `unavailable` with the reason, like a missing FC
 * port: listed in the plan, never an ENOENT at apply time.
 */
import type { Change } from '../core/change.js';
import type { Unavailable } from '../core/driver.js';
import type { Resource, Snapshot } from '../core/resource.js';

export interface LayerStatus {
  unavailable: string;
  hint: string;
}

export const layerAddress = (driver: string): string => `${driver}/layer`;

/** The resource an observe returns when its layer is missing from the machine. */
export function missingLayer(driver: string, why: LayerStatus): Resource {
  return { address: layerAddress(driver), kind: `${driver}.layer`, driver, spec: {}, status: { ...why }, deps: [] };
}

/** Why a change cannot be made: its driver's layer is missing on this machine. */
export function layerUnavailable(c: Change, observed: Snapshot): Unavailable | undefined {
  const st = observed.resources.get(layerAddress(c.driver))?.status as Partial<LayerStatus> | undefined;
  if (!st?.unavailable) return undefined;
  return { reason: `${c.driver} is not available on this machine: ${st.unavailable}`, hint: st.hint ?? `install or load ${c.driver}` };
}
