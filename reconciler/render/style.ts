import type { Action, Blocked, Change, Impact, ImpactClass, PlanSummary } from '../core/change.js';

/** Terraform-style symbols for actions. */
export const SYMBOL: Record<Action, string> = { create: '+', update: '~', replace: '-/+', delete: '-', noop: ' ' };

/** Badge text per impact class; `benign` has none. */
export const BADGE: Record<ImpactClass, string | undefined> = {
  'data-loss': 'DATA-LOSS',
  'io-disruptive': 'IO-DISRUPT',
  identity: 'IDENTITY',
  session: 'SESSION',
  benign: undefined,
};

const BADGE_ORDER: ImpactClass[] = ['data-loss', 'io-disruptive', 'identity', 'session'];

/** ANSI colouring that is a no-op when colour is off. */
export interface Paint {
  action(a: Action, s: string): string;
  badge(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (code: string, s: string): string => `\u001b[${code}m${s}\u001b[0m`;
const ACTION_COLOUR: Record<Action, string> = { create: '32', update: '33', replace: '35', delete: '31', noop: '0' };

export function paint(color: boolean): Paint {
  if (!color) return { action: (_a, s) => s, badge: (s) => s, dim: (s) => s, bold: (s) => s };
  return {
    action: (a, s) => wrap(ACTION_COLOUR[a], s),
    badge: (s) => wrap('1;31', s),
    dim: (s) => wrap('2', s),
    bold: (s) => wrap('1', s),
  };
}

/** Badges of a list of impacts, most severe first, each once: `[DATA-LOSS] [SESSION]`. */
export function badges(impact: readonly Impact[]): string[] {
  const present = new Set(impact.map((i) => i.class));
  return BADGE_ORDER.filter((c) => present.has(c)).map((c) => `[${BADGE[c]}]`);
}

/** A field value for people: strings quoted, absent values as `(unset)`. */
export function showValue(v: unknown): string {
  if (v === undefined || v === null) return '(unset)';
  return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
}

/** The reason worth printing next to a change (plain creates and updates need none). */
export function notableReason(c: Change): string | undefined {
  if (c.action === 'create' && c.reason === 'not present') return undefined;
  if (c.action === 'update') return undefined;
  return c.reason;
}

/** The one-line summary, e.g. `Plan: 3 to add, 1 to change, 1 to replace, 0 to destroy; 1 blocked.` */
export function summaryLine(s: PlanSummary): string {
  const parts = [`Plan: ${s.create} to add, ${s.update} to change, ${s.replace} to replace, ${s.delete} to destroy`];
  if (s.blocked > 0) parts.push(`${s.blocked} blocked`);
  if (s.sessions > 0) parts.push(`${s.sessions} session${s.sessions === 1 ? '' : 's'} affected`);
  return `${parts.join('; ')}.`;
}

export const NO_CHANGES = 'No changes. The live system matches the desired state.';

/**
 * The empty plan's line. A plan made against a recorded snapshot (`plan --observed`) says so and
 * names it, since the live system was not looked at.
 */
export const noChanges = (recorded?: string): string =>
  recorded === undefined ? NO_CHANGES : `No changes. The desired state matches the recorded snapshot (${recorded}).`;

/** The blocked changes of a plan in two sections: what the machine cannot do, and what waits for an approval. */
export const BLOCKED_SECTIONS: readonly { title: string; has: (b: Blocked) => boolean }[] = [
  { title: 'Cannot be made on this machine (not applied; fix the file or the machine):', has: (b) => b.unavailable !== undefined },
  { title: 'Blocked (needs an approval; not applied):', has: (b) => b.unavailable === undefined },
];
