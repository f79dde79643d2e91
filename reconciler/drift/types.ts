import type { Action } from '../core/change.js';
import type { DriftMode } from '../core/resource.js';

/**
 * Where a drift came from, so each can be routed differently (reference/peers.md §10.8):
 * - `operator`: an object was changed, added or removed by hand (scstadmin, the TUI, echo > mgmt);
 * - `kernel`: the kernel dropped objects by itself (the iSCSI daemon restarted: all iSCSI targets
 *   gone; SCST removed the LUNs of a vanished device);
 * - `hardware`: a hardware port (FC, SRP, FCoE) disappeared, so its target is missing;
 * - `failover`: an expected role change: the ALUA states of a device group's target groups swapped
 *   (or one is `transitioning`), or a role-dependent value now has the value the peer node
 *   expects. Reported at info level and never corrected.
 */
export type DriftClass = 'operator' | 'kernel' | 'hardware' | 'failover';

export const DRIFT_CLASSES: readonly DriftClass[] = ['operator', 'kernel', 'hardware', 'failover'];

/** One drifted field (or a whole object, when `field` is absent). */
export interface DriftItem {
  address: string;
  kind: string;
  /** what converging would do. */
  action: Action;
  /** dotted path inside spec; absent when the whole object is missing or extra. */
  field?: string;
  /** the desired value (`absent` for an object that should not exist). */
  expected: unknown;
  /** the live value (`absent` for a missing object). */
  found: unknown;
  class: DriftClass;
  /** effective drift mode: resource meta.drift, else policy.drift.mode, else warn. */
  mode: DriftMode;
  /** for people: why this class. */
  why: string;
}

export const ABSENT = 'absent';
