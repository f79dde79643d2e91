import type { Blocked, Change, Impact } from '../core/change.js';
import type { Unavailable } from '../core/driver.js';
import type { Approval } from './types.js';

/** The impacts of a change that need an approval before it may run (DESIGN §3 Guards). */
export function guardedImpacts(c: Change): Impact[] {
  return c.impact.filter(
    (i) =>
      i.needsApproval === true ||
      i.class === 'data-loss' ||
      i.class === 'identity' ||
      (i.class === 'session' && (i.sessions?.length ?? 0) > 0 && c.action !== 'create' && c.action !== 'noop'),
  );
}

type Approvals = { approvals: readonly Approval[]; allow: ReadonlySet<string> };

function isApproved(c: Change, o: Approvals): boolean {
  return o.allow.has(c.address) || o.approvals.some((a) => a.address === c.address && a.action === c.action);
}

/** A change is approved by its own approval or by one of any change linked to it (one identity move). */
function approvedWithLinks(ordered: readonly Change[], o: Approvals & { linked: ReadonlyMap<string, readonly string[]> }): Set<string> {
  const own = new Set(ordered.filter((c) => isApproved(c, o)).map((c) => c.address));
  const out = new Set(own);
  for (const c of ordered) if ((o.linked.get(c.address) ?? []).some((a) => own.has(a))) out.add(c.address);
  return out;
}

const approvalHint = (c: Change, linked: readonly string[] = []): string =>
  `--allow ${c.address} or policy.approvals: [{ address: ${c.address}, action: ${c.action}, reason: "..." }]` +
  (linked.length === 0 ? '' : `; one identity change with ${linked.join(', ')}: approving ${linked.length === 1 ? 'either approves both' : 'one approves all'}`);

/**
 * Splits ordered changes into those that may run and those that are blocked: a change the
 * machine cannot make (`unavailable`, never approvable), a guarded change without an approval,
 * and (transitively) every change that waits for a blocked one. Blocked changes are listed with
 * a hint, never silently dropped. `linked` changes (the halves of one identity move, see
 * identity.ts) are approved together: an approval of either covers both.
 */
export function applyGuards(
  ordered: readonly Change[],
  o: {
    approvals: readonly Approval[];
    allow: readonly string[];
    linked?: ReadonlyMap<string, readonly string[]>;
    unavailable?: ReadonlyMap<string, Unavailable>;
  },
): { changes: Change[]; blocked: Blocked[] } {
  const linked = o.linked ?? new Map<string, string[]>();
  const approved = approvedWithLinks(ordered, { approvals: o.approvals, allow: new Set(o.allow), linked });
  const rootOf = new Map<string, string>();
  const changes: Change[] = [];
  const blocked: Blocked[] = [];
  for (const c of ordered) {
    const impossible = o.unavailable?.get(c.address);
    if (impossible) {
      rootOf.set(c.address, c.address);
      blocked.push({ address: c.address, action: c.action, because: [], unavailable: impossible.reason, hint: impossible.hint, fields: c.fields });
      continue;
    }
    const guarded = guardedImpacts(c);
    if (guarded.length > 0 && !approved.has(c.address)) {
      rootOf.set(c.address, c.address);
      blocked.push({ address: c.address, action: c.action, because: guarded, hint: approvalHint(c, linked.get(c.address)), fields: c.fields });
      continue;
    }
    const dep = c.deps.find((d) => rootOf.has(d) && !c.follows?.includes(d));
    if (dep !== undefined) {
      const root = rootOf.get(dep)!;
      rootOf.set(c.address, root);
      const impossible = o.unavailable?.get(root);
      blocked.push({
        address: c.address,
        action: c.action,
        because: c.impact.filter((i) => i.class !== 'benign'),
        blockedBy: dep,
        ...(impossible
          ? { unavailable: impossible.reason, hint: `waits for ${dep}; ${root} cannot be made on this machine` }
          : { hint: `waits for ${dep}; approve ${root} with --allow ${root} or policy.approvals` }),
        fields: c.fields,
      });
      continue;
    }
    changes.push(c);
  }
  return { changes, blocked };
}
