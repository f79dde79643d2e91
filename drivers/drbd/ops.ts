/**
 * Operations of a DRBD change: write the resource file atomically, create metadata where a disk
 * has none, `drbdadm adjust` (showing the drbdsetup/drbdmeta commands the real tool printed in
 * its dry run), a forced first primary when the file says so at create, and `drbdadm resize`
 * for a grown lower device.
 */
import type { Change, Op } from '../../reconciler/core/change.js';
import { resourceFile, resourceName } from './address.js';
import { forcesPrimary } from './classify.js';
import { factsOf } from './compare.js';
import { contentOf } from './desired.js';

export function ops(c: Change): Op[] {
  const name = resourceName(c.address);
  if (c.action === 'delete') return [{ type: 'exec', argv: ['drbdadm', 'down', name] }];
  const facts = factsOf(c.after);
  const out: Op[] = [];
  const fields = new Set(c.fields.map((f) => f.field));
  if (c.action === 'create' || fields.has('file')) out.push({ type: 'file', path: resourceFile(name), content: contentOf(c.after!) });
  for (const [vol, has] of Object.entries(facts.metadata ?? {})) if (!has) out.push({ type: 'exec', argv: ['drbdadm', 'create-md', '--force', `${name}/${vol}`] });
  if (c.action === 'create' || (facts.adjust ?? []).length > 0) out.push({ type: 'exec', argv: ['drbdadm', 'adjust', name], runs: facts.adjust ?? [] });
  if (forcesPrimary(c)) out.push({ type: 'exec', argv: ['drbdadm', 'primary', '--force', name] });
  if ((facts.grown ?? []).length > 0) out.push({ type: 'exec', argv: ['drbdadm', 'resize', name] });
  return out;
}
