/** Printing of apply results for the `apply` command (text only; no logic). */
import type { CommandIO } from './command.js';
import type { ApplyResult, InterruptedRun, Progress } from '../reconciler/apply/index.js';

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
  for (const b of r.blocked) lines.push(`blocked: ${b.action} ${b.address}: ${b.hint}`);
  const c = r.counts;
  lines.push(`Apply ${r.ok ? 'complete' : 'incomplete'}: ${c.applied} applied, ${c.failed} failed, ${c.skipped} skipped, ${c.blocked} blocked; ${r.executed.length} operations run.`);
  return `${lines.join('\n')}\n`;
}

/** A one-line progress indicator on a TTY stderr. */
export function progressLine(io: CommandIO): ((p: Progress) => void) | undefined {
  if (!io.stderr.isTTY) return undefined;
  return (p) => {
    io.stderr.write(`\r\u001b[K[${p.done}/${p.total}] ${p.status} ${p.address}`);
    if (p.done === p.total) io.stderr.write('\n');
  };
}
