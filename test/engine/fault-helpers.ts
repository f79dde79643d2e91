/**
 * Fault injection over any driver's apply: which of the host's operations are the plan's own
 * kernel writes (exec of a planned command, a sysfs or mgmt write, an /etc file), a rule that
 * fails the nth of them, and what a failed change must skip (its transitive dependents).
 * Used by scst-faults.test.ts and stack-faults.test.ts.
 */
import type { Plan } from '../../reconciler/core/change.js';
import type { HostOp, InterceptRule } from '../../reconciler/host/intercept.js';

/** Addresses that depend (transitively) on `failed` in the plan; a change that only follows one (`follows`) does not. */
export function dependentsOf(plan: Plan, failed: string): Set<string> {
  const out = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of plan.changes) {
      if (!out.has(c.address) && c.deps.some((d) => !c.follows?.includes(d) && (d === failed || out.has(d)))) {
        out.add(c.address);
        grew = true;
      }
    }
  }
  return out;
}

/** One key per kernel write, the same for a plan's op and the host operation that carries it out. */
function hostKey(op: HostOp): string | undefined {
  if (op.kind === 'exec') return `exec ${(op.argv ?? []).join(' ')}`;
  if (op.kind === 'mgmt' || op.kind === 'writeAttr') return `write ${op.path} ${op.value ?? ''}`;
  if (op.kind === 'files.writeAtomic') return `file ${op.path}`;
  return undefined;
}

/** The plan's writes, as hostKey names them. */
export function plannedWrites(plan: Plan): Set<string> {
  const keys = new Set<string>();
  for (const c of plan.changes) {
    for (const op of c.ops) {
      if (op.type === 'exec') keys.add(`exec ${op.argv.join(' ')}`);
      else if (op.type === 'write') keys.add(`write ${op.path} ${op.value}`);
      else if (op.type === 'mgmt') keys.add(`write ${op.path} ${op.command}`);
      else keys.add(`file ${op.path}`);
    }
  }
  return keys;
}

/** Number of kernel writes the plan makes. */
export const writeCount = (plan: Plan): number => plan.changes.reduce((n, c) => n + c.ops.length, 0);

/**
 * A rule failing the nth write of the plan (1-based) and nothing else (the reads of observe,
 * blkid probes and verification are never hit). An exec fails as a tool does (exit 1, a message
 * on stderr), anything else with EIO. `after`: the write took effect and only its reply failed.
 */
export function failNthWrite(plan: Plan, n: number, o: { after?: boolean } = {}): InterceptRule {
  const keys = plannedWrites(plan);
  let seen = 0;
  return {
    match: (op) => {
      const k = hostKey(op);
      return k !== undefined && keys.has(k) && ++seen === n;
    },
    fail: 'EIO',
    exitCode: 1,
    stderr: 'injected failure\n',
    ...(o.after ? { after: true } : {}),
  };
}
