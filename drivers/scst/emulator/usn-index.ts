/**
 * USN -> device lookup so add_device's "generated USN must be unique" check (§1.3.2) stays O(1)
 * on large configurations. Derived from the state (never persisted): built on first use, kept up
 * to date by note(), and every hit is verified against the state, so stale entries are harmless.
 */
import type { ScstState } from './state.js';

const indexes = new WeakMap<ScstState, Map<string, string>>();

function indexOf(st: ScstState): Map<string, string> {
  let m = indexes.get(st);
  if (!m) {
    m = new Map();
    for (const name in st.devices) if (st.devices[name].attrs.usn) m.set(st.devices[name].attrs.usn, name);
    indexes.set(st, m);
  }
  return m;
}

/** The device that currently has this USN, if any. */
export function deviceWithUsn(st: ScstState, usn: string): string | undefined {
  const name = indexOf(st).get(usn);
  return name !== undefined && st.devices[name]?.attrs.usn === usn ? name : undefined;
}

/** Records that `device` now has `usn`. */
export function noteUsn(st: ScstState, device: string, usn: string): void {
  indexOf(st).set(usn, device);
}
