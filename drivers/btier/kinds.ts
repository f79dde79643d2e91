/** btier resources: `btier/NAME` (kind btier.device) is /dev/NAME over its members, fastest first. */
import type { AttrValue } from '../../schema/model.js';

export const KINDS = ['btier.device', 'btier.layer'] as const;
export const addr = { device: (name: string) => `btier/${name}`, layer: () => 'btier/layer' };
export const nameOf = (address: string): string => address.slice(address.lastIndexOf('/') + 1);

export interface TierSpec {
  devices: string[];
  attributes?: Record<string, AttrValue>;
}

export interface TierStatus {
  kernelName: string;
  uuid: string;
  sizeBytes: number;
  /** a member went away (drift class hardware, never re-created). */
  fault?: string;
}

/** Attributes sanform manages when the file sets them, with btier's defaults (import leaves those out). */
export const ATTR_DEFAULTS: Record<string, string> = {
  migration_interval: '14400', migration_enable: '1', sequential_landing: '0', discard: '0', discard_to_devices: '0', migrate_verbose: '0',
};
