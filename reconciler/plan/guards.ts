import type { Blocked, Change, Impact } from '../core/change.js';
import type { Approval } from './types.js';

/** The impacts of a change that need an approval before it may run (DESIGN §3 Guards). */
export function guardedImpacts(c: Change): Impact[] {
  return c.impact.filter(
    (i) =>
      i.class === 'data-loss' ||
      i.class === 'identity' ||
      (i.class === 'session' && (i.sessions?.length ?? 0) > 0 && c.action !== 'create' && c.action !== 'noop'),
  );
}

function isApproved(c: Change, o: { approvals: readonly Approval[]; allow: ReadonlySet<string> }): boolean {
  return o.allow.has(c.address) || o.approvals.some((a) => a.address === c.address && a.action === c.action);
}

const approvalHint = (c: Change): string =>
  `--allow ${c.address} or policy.approvals: [{ address: ${c.address}, action: ${c.action}, reason: "..." }]`;

/**
 * Splits ordered changes into those that may run and those that are blocked: a guarded change
 * without an approval, and (transitively) every change that waits for a blocked one. Blocked
 * changes are listed with a hint, never silently dropped.
 */
export function applyGuards(
  ordered: readonly Change[],
  o: { approvals: readonly Approval[]; allow: readonly string[] },
): { changes: Change[]; blocked: Blocked[] } {
  const allow = new Set(o.allow);
  const rootOf = new Map<string, string>();
  const changes: Change[] = [];
  const blocked: Blocked[] = [];
  for (const c of ordered) {
    const guarded = guardedImpacts(c);
    if (guarded.length > 0 && !isApproved(c, { approvals: o.approvals, allow })) {
      rootOf.set(c.address, c.address);
      blocked.push({ address: c.address, action: c.action, because: guarded, hint: approvalHint(c), fields: c.fields });
      continue;
    }
    const dep = c.deps.find((d) => rootOf.has(d));
    if (dep !== undefined) {
      const root = rootOf.get(dep)!;
      rootOf.set(c.address, root);
      blocked.push({
        address: c.address,
        action: c.action,
        because: c.impact.filter((i) => i.class !== 'benign'),
        blockedBy: dep,
        hint: `waits for ${dep}; approve ${root} with --allow ${root} or policy.approvals`,
        fields: c.fields,
      });
      continue;
    }
    changes.push(c);
  }
  return { changes, blocked };
}
