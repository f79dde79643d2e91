import type { Plan } from '../core/change.js';

/**
 * The `--allow` addresses that name no change of the plan, planned or blocked: most likely typos,
 * which would otherwise be ignored without a word. In the order given, each once.
 */
export function unmatchedAllows(plan: Pick<Plan, 'changes' | 'blocked'>, allow: readonly string[]): string[] {
  const addresses = new Set([...plan.changes, ...plan.blocked].map((c) => c.address));
  return [...new Set(allow)].filter((a) => !addresses.has(a));
}
