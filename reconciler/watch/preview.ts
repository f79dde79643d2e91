import { readDesired } from '../state/desired.js';
import { openStore } from '../state/store.js';
import type { GitopsContext, PlanResponse } from './types.js';

/**
 * The plan of desired revision `rev` against the live host, without applying or recording
 * anything: what a command shows (and asks about) before it changes the machine or main.
 */
export async function planRevision(ctx: GitopsContext, p: { rev: string; allow?: string[] }): Promise<{ revision: string; planned: PlanResponse }> {
  const desired = await readDesired(await openStore(ctx.repo), p.rev, ctx.node);
  const planned = await ctx.engine.plan({ files: desired.files, revision: desired.revision, allow: p.allow, diagnostics: desired.diagnostics });
  return { revision: desired.revision, planned };
}
