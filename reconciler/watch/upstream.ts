/**
 * The upstream half of a watch cycle (`watch --upstream URL`): pull before the cycle, push the
 * records after it, and alert once per new upstream condition (unreachable, refused, held).
 */
import { pullUpstream, pushBack, type PullReport } from '../fleet/pull.js';
import { gateText } from '../fleet/gate.js';
import type { Severity } from '../alerts/types.js';
import type { GitopsContext, WatchMemory } from './types.js';

const short = (rev?: string): string => rev?.slice(0, 12) ?? 'none';

/** What a pull means for people, and how loud: undefined when there is nothing to say. */
export function pullText(p: PullReport): { severity: Severity; summary: string } | undefined {
  switch (p.status) {
    case 'unreachable':
      return { severity: 'warning', summary: `upstream unreachable (${p.reason}); keeping the applied state (main ${short(p.held)})` };
    case 'refused':
      return { severity: 'critical', summary: `upstream main ${short(p.main)} refused: ${p.reason}; nothing from it is applied (main stays ${short(p.held)})` };
    case 'held':
      return { severity: p.gate.because === 'failed' ? 'critical' : 'info', summary: gateText(p.gate, p.main) };
    default:
      return undefined;
  }
}

export async function pullStep(ctx: GitopsContext, memory: WatchMemory): Promise<PullReport | undefined> {
  if (!ctx.upstream) return undefined;
  const pulled = await pullUpstream({ repo: ctx.repo, url: ctx.upstream, node: ctx.node });
  const said = pullText(pulled);
  if (pulled.status === 'moved') ctx.logger.info({ revision: pulled.main, signer: pulled.principal, wave: pulled.wave }, `upstream main ${short(pulled.main)} verified (signed by ${pulled.principal})`);
  if (!said) {
    memory.lastUpstream = undefined;
    return pulled;
  }
  (said.severity === 'info' ? ctx.logger.info : ctx.logger.warn).call(ctx.logger, { upstream: pulled.status }, said.summary);
  // waiting for an earlier wave is normal: logged, not alerted
  if (said.severity !== 'info' && memory.lastUpstream !== said.summary) {
    memory.lastUpstream = said.summary;
    await ctx.alerter.raise({ kind: 'upstream', severity: said.severity, node: ctx.node, time: new Date().toISOString(), summary: `sanform on ${ctx.node}: ${said.summary}` });
  }
  return pulled;
}

export async function pushStep(ctx: GitopsContext): Promise<void> {
  if (!ctx.upstream) return;
  const pushed = await pushBack({ repo: ctx.repo, url: ctx.upstream, node: ctx.node });
  if (!pushed.ok) ctx.logger.warn({ reason: pushed.reason }, 'records could not be pushed to the upstream; they are kept here and pushed next cycle');
}
