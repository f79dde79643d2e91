import type { Change, Plan } from '../core/change.js';
import { clusterLines, flatFields } from './text.js';
import { kernelOnly, snapshotSetsMarkdown } from './snapshots.js';
import { badges, BLOCKED_SECTIONS, noChanges, notableReason, showValue, summaryLine, SYMBOL } from './style.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function changeRow(c: Change): string {
  return `| \`${SYMBOL[c.action]}\` | \`${cell(c.address)}\` | ${c.action} | ${badges(c.impact).join(' ') || 'benign'} | ${cell(notableReason(c) ?? '')} |`;
}

function details(c: Change): string[] {
  const lines = c.fields.flatMap((f) =>
    c.action === 'create' ? flatFields(f.field, f.after) : [`${f.field}: ${showValue(f.before)} -> ${showValue(f.after)}`],
  );
  for (const i of c.impact) if (i.class !== 'benign') lines.push(`! ${i.detail}${i.sessions?.length ? ` (sessions: ${i.sessions.join(', ')})` : ''}`);
  return lines;
}

/** The plan as Markdown for a pull-request comment: summary table, change table, details. */
export function renderMarkdown(plan: Plan, opts: { recorded?: string } = {}): string {
  const cluster = clusterLines(plan).map((l) => `- ${cell(l)}`);
  const tail = cluster.length > 0 ? `\n${cluster.join('\n')}\n` : '';
  const sets = snapshotSetsMarkdown(plan);
  if (plan.changes.length === 0 && plan.blocked.length === 0) {
    return `### sanform plan: ${plan.node}\n\n${kernelOnly(noChanges(opts.recorded), plan)}\n${tail}${sets.length ? `\n${sets.join('\n')}` : ''}`;
  }
  const s = plan.summary;
  const out = [
    `### sanform plan: ${plan.node}`,
    '',
    ...(cluster.length > 0 ? [...cluster, ''] : []),
    '| add | change | replace | destroy | blocked | sessions affected |',
    '|---:|---:|---:|---:|---:|---:|',
    `| ${s.create} | ${s.update} | ${s.replace} | ${s.delete} | ${s.blocked} | ${s.sessions} |`,
    '',
  ];
  if (plan.changes.length > 0) {
    out.push('| | address | action | impact | reason |', '|---|---|---|---|---|', ...plan.changes.map(changeRow), '');
  }
  for (const section of BLOCKED_SECTIONS) {
    const list = plan.blocked.filter(section.has);
    if (list.length === 0) continue;
    out.push(`**${section.title}**`, '');
    for (const b of list) {
      const why = b.unavailable && !b.blockedBy ? `${b.unavailable}; ` : '';
      const badge = badges(b.because).join(' ');
      out.push(`- \`${SYMBOL[b.action]} ${b.address}\`${badge ? ` ${badge}` : ''}: ${cell(why + b.hint)}`);
    }
    out.push('');
  }
  const withDetails = plan.changes.filter((c) => details(c).length > 0);
  if (withDetails.length > 0) {
    out.push('<details><summary>Details</summary>', '', '```diff');
    for (const c of withDetails) out.push(`${SYMBOL[c.action]} ${c.address}`, ...details(c).map((l) => `    ${l}`));
    out.push('```', '', '</details>', '');
  }
  out.push(...sets, summaryLine(s), '');
  return out.join('\n');
}
