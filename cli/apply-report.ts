/** Printing of apply results for the `apply` command (text and JSON; no logic). */
import type { CommandIO } from './command.js';
import type { ApplyResult, InterruptedRun, Progress } from '../reconciler/apply/index.js';
import type { Blocked, Plan } from '../reconciler/core/change.js';
import { renderJson } from '../reconciler/render/index.js';
import type { StepResult } from '../drivers/snapshot/sets.js';
import type { Recovered } from '../reconciler/recover.js';

/** What the lock holder did about an apply killed before its record: said once, on stderr. */
export function recoveredNote(r: Recovered): string {
  const why = r.rebuilt === 'interrupted' ? 'was killed before it finished' : 'was killed after its last kernel write, before its record';
  const where = r.record?.oid ? ` as ${r.record.oid.slice(0, 12)}` : r.record?.pendingFile ? ' in the pending queue (the repository cannot be written)' : r.record ? ' (FAILED: it will be tried again)' : ' (it was there already)';
  return `Note: apply run ${r.run} ${why}; its record was rebuilt from the journal${where}.\n`;
}

export function interruptedNote(i: InterruptedRun): string {
  const step = i.lastStep
    ? ` at ${i.lastStep.address} (op ${i.lastStep.op + 1}: ${i.lastStep.command}; ${i.lastStep.completed ? 'completed' : 'may or may not have taken effect'})`
    : ' before its first step';
  return `Note: the previous apply (pid ${i.pid}, started ${i.at}) was interrupted${step}; ${i.completedOps} op(s) had completed. This run converges from the live state.\n`;
}

/** Per-change failures, skips and blocked entries, then one summary line. */
export function applyReport(r: ApplyResult): string {
  const lines: string[] = [];
  for (const x of r.results) {
    if (x.status === 'failed') {
      const e = x.error!;
      lines.push(`failed:  ${x.action} ${x.address}: ${e.errno ?? e.code} at op ${e.op + 1}: ${e.message}`);
    } else if (x.status === 'skipped') lines.push(`skipped: ${x.action} ${x.address} (waits for failed ${x.skippedBecause})`);
  }
  lines.push(...blockedLines(r.blocked), summary(r.ok, r.counts, r.executed.length));
  return `${lines.join('\n')}\n`;
}

const blockedLines = (blocked: readonly Blocked[]): string[] => blocked.map((b) => `blocked: ${b.action} ${b.address}: ${b.hint}`);

const summary = (ok: boolean, c: ApplyResult['counts'], ops: number): string =>
  `Apply ${ok ? 'complete' : 'incomplete'}: ${c.applied} applied, ${c.failed} failed, ${c.skipped} skipped, ${c.blocked} blocked; ${ops} operations run.`;

/** The report of an apply that had nothing it could run: every change is blocked. */
export function blockedOnlyReport(blocked: readonly Blocked[]): string {
  const counts = { applied: 0, failed: 0, skipped: 0, blocked: blocked.length };
  return `${[...blockedLines(blocked), summary(false, counts, 0)].join('\n')}\n`;
}

/**
 * `apply --json`: the outcome as one JSON object (docs/plan-format.md, "apply --json"). Secrets
 * appear only masked (executed commands) or as fingerprints (the plan).
 */
export function applyJson(o: { plan: Plan; result?: ApplyResult; approved: boolean; ok?: boolean; snapshots?: readonly StepResult[] }): string {
  const r = o.result;
  const blocked = r?.blocked ?? o.plan.blocked;
  const counts = r?.counts ?? { applied: 0, failed: 0, skipped: 0, blocked: blocked.length };
  const ran = r !== undefined || o.snapshots !== undefined;
  const ok = o.ok ?? (r ? r.ok : o.approved && blocked.length === 0 && o.plan.changes.length === 0);
  const out = {
    formatVersion: 1,
    ok,
    // "nothing-to-do", "not-approved" (nothing ran) or "applied" (it ran; see ok and counts)
    outcome: ran ? 'applied' : !o.approved ? 'not-approved' : 'nothing-to-do',
    node: o.plan.node,
    observedHash: o.plan.observedHash,
    counts,
    results: r?.results ?? [],
    blocked: blocked.map((b) => ({ address: b.address, action: b.action, hint: b.hint })),
    executed: r?.executed ?? [],
    ...(r?.interrupted ? { interrupted: r.interrupted } : {}),
    ...(o.snapshots ? { snapshots: o.snapshots.map((x) => ({ set: x.set, lines: x.lines, ...(x.error ? { error: x.error } : {}) })) } : {}),
    plan: JSON.parse(renderJson(o.plan)) as unknown,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** A one-line progress indicator on a TTY stderr. */
export function progressLine(io: CommandIO): ((p: Progress) => void) | undefined {
  if (!io.stderr.isTTY) return undefined;
  return (p) => {
    io.stderr.write(`\r\u001b[K[${p.done}/${p.total}] ${p.status} ${p.address}`);
    if (p.done === p.total) io.stderr.write('\n');
  };
}
