/**
 * Core target and initiator-group attributes (§1.5, §1.5.2): defaults, key rules and writes,
 * including `enabled` with rel_tgt_id auto-assignment and EBADSLT.
 */
import type { DriverName, ScstState, TargetState } from './state.js';
import { DRIVER_INFO } from './targets.js';
import { chomp, fail, parseUnsigned } from './lexer.js';
import { keyed } from './node.js';

export interface AttrSpec {
  def: string;
  /** key when the value differs from def (or always/never). */
  key: 'nondefault' | 'never' | 'always';
  mode: number;
  work?: boolean;
  /** canonical value for a written string, or throws. */
  parse?: (v: string) => string;
}

const prefixOf = (words: string[]) => (v: string): string => {
  const t = chomp(v).trim();
  const w = words.find((x) => t !== '' && x.toLowerCase().startsWith(t.toLowerCase()));
  if (!w) fail('EINVAL', `expected one of ${words.join(', ')}`);
  return w;
};
const firstChar = (allowed: string) => (v: string): string => {
  const ch = v.charAt(0);
  if (!ch || !allowed.includes(ch)) fail('EINVAL', `expected one of ${allowed.split('').join(', ')}`);
  return ch;
};
function ioGrouping(v: string): string {
  const t = chomp(v).trim();
  if (/^\d+$/.test(t)) {
    if (parseUnsigned(t) <= 0) fail('EINVAL', 'io_grouping_type must be > 0');
    return String(parseUnsigned(t));
  }
  return prefixOf(['auto', 'this_group_only', 'never'])(t);
}
function cpuMask(v: string): string {
  const t = chomp(v).trim().toLowerCase();
  if (!/^[0-9a-f]+(,[0-9a-f]+)*$/.test(t)) fail('EINVAL', 'bad cpu mask');
  return t;
}

export const DEFAULT_CPU_MASK = 'ff';

/** Attributes shared by targets and initiator groups (they belong to the ACG). */
export const ACG_ATTRS: Record<string, AttrSpec> = {
  addr_method: { def: 'PERIPHERAL', key: 'nondefault', mode: 0o644, parse: prefixOf(['PERIPHERAL', 'FLAT', 'LUN']) },
  io_grouping_type: { def: 'auto', key: 'nondefault', mode: 0o644, work: true, parse: ioGrouping },
  cpu_mask: { def: DEFAULT_CPU_MASK, key: 'nondefault', mode: 0o644, work: true, parse: cpuMask },
  black_hole: { def: '0', key: 'never', mode: 0o644, parse: firstChar('01234') },
};

/** Target-only core attributes besides enabled, rel_tgt_id and comment. */
export const TARGET_ATTRS: Record<string, AttrSpec> = {
  ...ACG_ATTRS,
  forward_src: { def: '0', key: 'nondefault', mode: 0o644, parse: firstChar('01') },
  forward_dst: { def: '0', key: 'nondefault', mode: 0o644, parse: firstChar('01') },
  aen_disabled: { def: '0', key: 'nondefault', mode: 0o644, parse: firstChar('01') },
  sg_tablesize: { def: '128', key: 'never', mode: 0o444 },
};

/** Printed form of a table attribute. */
export function showSpec(spec: AttrSpec, v: string | undefined): string {
  const val = v ?? spec.def;
  return keyed(val, spec.key === 'always' || (spec.key === 'nondefault' && val !== spec.def));
}

/**
 * Every enabled target's rel_tgt_id except `self`'s. Like __scst_is_relative_target_port_id_unique(),
 * a target of a driver without is_target_enabled (scst_local, copy_manager) always counts.
 */
function enabledIds(st: ScstState, self: TargetState): Set<number> {
  const ids = new Set<number>();
  for (const [drv, d] of Object.entries(st.drivers)) {
    const always = !DRIVER_INFO[drv as DriverName].enable;
    for (const t of Object.values(d.targets)) if (t !== self && (always || t.enabled) && t.relTgtId) ids.add(t.relTgtId);
  }
  return ids;
}

/** `enabled` store (§1.5): auto-assigns rel_tgt_id, EBADSLT on a collision. */
export function writeEnabled(st: ScstState, t: TargetState, v: string): void {
  const on = firstChar('01')(v) === '1';
  if (on && !t.enabled) {
    const used = enabledIds(st, t);
    if (t.relTgtId === 0) {
      let id = st.relTgtIdCounter;
      for (let i = 0; i < 65535; i++) {
        id = (id % 65535) + 1;
        if (!used.has(id)) break;
      }
      if (used.has(id)) fail('EBADSLT', 'no free rel_tgt_id');
      st.relTgtIdCounter = id;
      t.relTgtId = id;
    } else if (used.has(t.relTgtId)) fail('EBADSLT', `rel_tgt_id ${t.relTgtId} in use`);
  }
  if (!on) t.sessions = {};
  t.enabled = on ? 1 : 0;
}

/**
 * `rel_tgt_id` store: 1..65535 (0 only while disabled), EBADSLT if an enabled target holds it.
 * A target of a driver without `enabled` (scst_local, copy_manager) counts as enabled.
 */
export function writeRelTgtId(st: ScstState, t: TargetState, v: string, o: { hasEnable: boolean }): void {
  const n = parseUnsigned(chomp(v));
  const enabled = o.hasEnable ? t.enabled === 1 : true;
  if (enabled && n !== t.relTgtId && enabledIds(st, t).has(n)) fail('EBADSLT', `rel_tgt_id ${n} in use`);
  if (n > 65535 || (n === 0 && enabled)) fail('EINVAL', 'rel_tgt_id out of range');
  t.relTgtId = n;
}

/** `comment` store: one trailing newline dropped, a lone newline clears, 0 bytes is a no-op. */
export function writeComment(t: TargetState, v: string): void {
  if (v === '') return;
  if (v === '\n') return void delete t.attrs.comment;
  t.attrs.comment = chomp(v);
}

export const showComment = (t: TargetState): string => (t.attrs.comment === undefined ? '' : `${t.attrs.comment}\n[key]\n`);
