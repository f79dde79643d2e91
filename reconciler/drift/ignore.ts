/**
 * `policy.drift.ignore` rules: an address, or a prefix ending in `/*` that matches every address
 * under it (`scst/target/iscsi/*`), or `*` for everything; optionally only some fields.
 */
export interface IgnoreRule {
  address: string;
  fields?: string[];
}

/** Whether a rule's address (exact or `/*` prefix) covers `address`. */
export function ruleCovers(rule: string, address: string): boolean {
  if (rule === '*') return true;
  if (rule.endsWith('/*')) return address.startsWith(rule.slice(0, -1));
  return rule === address;
}

/** The rules that cover an address. */
export const rulesFor = (rules: readonly IgnoreRule[], address: string): IgnoreRule[] => rules.filter((r) => ruleCovers(r.address, address));

/** Whether the rules ignore a field of an address (`field` undefined: the whole object). */
export function ignored(rules: readonly IgnoreRule[], address: string, field?: string): boolean {
  return rulesFor(rules, address).some((r) => !r.fields || (field !== undefined && r.fields.includes(field)));
}
