import type { DriftItem } from '../drift/types.js';
import { countByClass } from '../drift/classify.js';
import type { Alert } from './types.js';

/** A drift value for people: strings bare, except the empty one, shown as "" so it is seen. */
export const showDriftValue = (v: unknown): string => (v === '' ? '""' : typeof v === 'string' ? v : JSON.stringify(v) ?? 'unset');

/** One line per drifted field: `address field: expected X, found Y [class]`. */
export const driftLine = (i: DriftItem): string =>
  `${i.address}${i.field ? ` ${i.field}` : ''}: expected ${showDriftValue(i.expected)}, found ${showDriftValue(i.found)} [${i.class}${i.mode === 'correct' ? ', correcting' : ''}]`;

/** The drift alert for one observation of a node. */
export function driftAlert(p: { node: string; items: DriftItem[]; record?: string; desiredRevision?: string; time?: Date }): Alert {
  const counts = countByClass(p.items);
  const classes = Object.entries(counts).filter(([, n]) => n > 0).map(([c, n]) => `${n} ${c}`).join(', ');
  const onlyFailover = p.items.every((i) => i.class === 'failover');
  const lost = counts.kernel + counts.hardware > 0;
  return {
    kind: 'drift',
    severity: onlyFailover ? 'info' : lost ? 'critical' : 'warning',
    node: p.node,
    summary: `sanform drift on ${p.node}: ${p.items.length} field(s) on ${new Set(p.items.map((i) => i.address)).size} object(s) (${classes})`,
    time: (p.time ?? new Date()).toISOString(),
    record: p.record,
    desiredRevision: p.desiredRevision,
    drift: p.items,
  };
}

/** Plain-text body of an alert (mail, terminal). */
export function alertText(a: Alert): string {
  const lines = [a.summary, '', `node: ${a.node}`, `time: ${a.time}`, `severity: ${a.severity}`];
  if (a.desiredRevision) lines.push(`desired revision: ${a.desiredRevision}`);
  if (a.record) lines.push(`record commit: ${a.record} (git show ${a.record.slice(0, 12)})`);
  if (a.error) lines.push(`error: ${a.error.code}: ${a.error.message}`);
  if (a.drift?.length) lines.push('', ...a.drift.map(driftLine));
  return `${lines.join('\n')}\n`;
}

/** An RFC 5322 message for `sendmail -t` (ESOS: ssmtp), with the alert JSON attached inline. */
export function alertMail(a: Alert, to = 'root'): string {
  const subject = a.summary.replace(/[\r\n]+/g, ' ');
  return [
    `To: ${to}`,
    `Subject: [${a.severity}] ${subject}`,
    'Content-Type: text/plain; charset=utf-8',
    'X-Sanform-Alert: ' + a.kind,
    '',
    alertText(a),
    '-- alert JSON --',
    JSON.stringify(a, null, 2),
    '',
  ].join('\n');
}
