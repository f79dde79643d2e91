/**
 * Default-aware comparison of a DRBD resource: the file on disk against the rendered file, the
 * kernel against the file (what `drbdadm -d adjust` said is left to do), the role (cluster-owned
 * on a pair), and a lower device grown past what DRBD uses.
 */
import type { FieldChange } from '../../reconciler/core/change.js';
import type { Resource } from '../../reconciler/core/resource.js';
import type { DrbdFacts, DrbdResourceSpec } from './desired.js';

export const factsOf = (r: Resource | undefined): DrbdFacts => ((r?.status as { tool?: DrbdFacts } | undefined)?.tool ?? {});

export function compare(before: Resource, after: Resource): FieldChange[] {
  const b = before.spec as unknown as DrbdResourceSpec;
  const a = after.spec as unknown as DrbdResourceSpec;
  const out: FieldChange[] = [];
  if (b.file !== a.file) out.push({ field: 'file', before: b.file, after: a.file, inPlace: true });
  const facts = factsOf(after);
  const pending = facts.adjust ?? [];
  if (pending.length > 0) out.push({ field: 'kernel', before: `${pending.length} command(s) from drbdadm adjust`, after: 'matches the file', inPlace: true });
  if (a.role !== undefined && b.role !== a.role) out.push({ field: 'role', before: b.role, after: a.role, inPlace: true });
  for (const vol of facts.grown ?? []) out.push({ field: `volumes.${vol}.size`, before: 'smaller than its disk', after: 'the size of its disk', inPlace: true });
  return out;
}
