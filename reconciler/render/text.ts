import type { Blocked, Change, Impact, Plan } from '../core/change.js';
import { kernelOnly, renderSnapshotSets } from './snapshots.js';
import { badges, BLOCKED_SECTIONS, noChanges, notableReason, paint, type Paint, showValue, summaryLine, SYMBOL } from './style.js';

export interface TextOptions {
  /** ANSI colour; callers pass true only for a TTY without NO_COLOR. */
  color?: boolean;
  /** the plan was made against this recorded snapshot, not the live system (`plan --observed`). */
  recorded?: string;
}

/** Unmanaged objects named in a plan before "and N more". */
const UNMANAGED_SHOWN = 20;

/**
 * What the plan leaves alone: nodes of the pair's cluster in standby, maintenance or offline, the
 * fields left to the cluster manager because they differ from the file, and live objects that
 * the file does not list and sanform neither created nor adopted (unmanaged: never deleted).
 */
export function clusterLines(plan: Pick<Plan, 'cluster' | 'held' | 'unmanaged'>): string[] {
  const out = (plan.cluster ?? []).map((n) => `cluster: node ${n.node} is in ${n.state}`);
  for (const h of plan.held ?? []) {
    out.push(`cluster-owned (left to the cluster manager): ${h.address} ${h.field} is ${showValue(h.live)} (file: ${showValue(h.declared)})`);
  }
  const unmanaged = plan.unmanaged ?? [];
  for (const u of unmanaged.slice(0, UNMANAGED_SHOWN)) out.push(`unmanaged (not in the file, not created or adopted by sanform; left alone): ${u.address}`);
  if (unmanaged.length > UNMANAGED_SHOWN) out.push(`unmanaged: and ${unmanaged.length - UNMANAGED_SHOWN} more (sanform plan --json lists them)`);
  if (unmanaged.length > 0) out.push('unmanaged objects are never deleted; declare them to manage them, or set policy.prune: all to delete them');
  return out;
}

function impactLines(impact: readonly Impact[], p: Paint): string[] {
  return impact
    .filter((i) => i.class !== 'benign')
    .map((i) => `      ${p.badge('!')} ${i.detail}${i.sessions?.length ? ` (sessions: ${i.sessions.join(', ')})` : ''}`);
}

/** `field: value` lines, with plain objects spread into dotted fields and empty ones left out. */
export function flatFields(field: string, v: unknown): string[] {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    return Object.keys(v).sort().flatMap((k) => flatFields(`${field}.${k}`, (v as Record<string, unknown>)[k]));
  }
  return [`${field}: ${showValue(v)}`];
}

function fieldLines(c: Pick<Change, 'action' | 'fields'>): string[] {
  if (c.action === 'delete') return [];
  if (c.action === 'create') return c.fields.flatMap((f) => flatFields(f.field, f.after)).map((l) => `      ${l}`);
  return c.fields.map(
    (f) => `      ${f.field}: ${showValue(f.before)} -> ${showValue(f.after)}${f.inPlace ? '' : ' (forces replacement)'}`,
  );
}

function header(o: { action: Change['action']; address: string; impact: readonly Impact[]; note?: string }, p: Paint): string {
  const b = badges(o.impact);
  const sym = p.action(o.action, SYMBOL[o.action].padStart(3));
  return `${sym} ${p.bold(o.address)}${b.length ? ` ${p.badge(b.join(' '))}` : ''}${o.note ? p.dim(`  # ${o.note}`) : ''}`;
}

/** One change: header with badges and reason, then field lines and impact details. */
export function changeText(c: Change, p: Paint = paint(false)): string[] {
  return [header({ ...c, note: notableReason(c) }, p), ...fieldLines(c), ...impactLines(c.impact, p)];
}

function blockedText(b: Blocked, p: Paint): string[] {
  const note = b.blockedBy ? `waits for ${b.blockedBy}` : b.unavailable ? `${b.action} cannot be made here` : `${b.action} needs approval`;
  const why = b.blockedBy ? [] : b.unavailable ? [`      ${p.badge('!')} ${b.unavailable}`] : impactLines(b.because, p);
  return [header({ ...b, impact: b.because, note }, p), ...fieldLines({ action: b.action, fields: b.fields ?? [] }), ...why, `      hint: ${b.hint}`];
}

/**
 * The human plan: Terraform-style symbols (`+ ~ -/+ -`), impact badges, field lines under
 * updates, the blocked section with hints and one summary line; then the snapshot sets' steps.
 */
export function renderText(plan: Plan, opts: TextOptions = {}): string {
  const p = paint(opts.color ?? false);
  const cluster = clusterLines(plan).map((l) => p.dim(l));
  const tail = cluster.length > 0 ? `${cluster.join('\n')}\n` : '';
  const sets = renderSnapshotSets(plan);
  if (plan.changes.length === 0 && plan.blocked.length === 0) return `${kernelOnly(noChanges(opts.recorded), plan)}\n${tail}${sets}`;
  const lines: string[] = cluster.length > 0 ? [...cluster, ''] : [];
  if (plan.changes.length > 0) {
    lines.push(`sanform plan for node ${plan.node || '(unnamed)'}; actions in the order they run:`, '');
    for (const c of plan.changes) lines.push(...changeText(c, p));
    lines.push('');
  }
  for (const section of BLOCKED_SECTIONS) {
    const list = plan.blocked.filter(section.has);
    if (list.length === 0) continue;
    lines.push(p.bold(section.title), '');
    for (const b of list) lines.push(...blockedText(b, p));
    lines.push('');
  }
  lines.push(p.bold(summaryLine(plan.summary)));
  return `${lines.join('\n')}\n${sets}`;
}
