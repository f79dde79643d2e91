import { execa } from 'execa';
import { AlertSinkError } from './errors.js';
import { alertMail } from './format.js';
import type { Alert, AlertSink } from './types.js';

/** How the command receives the alert on stdin: JSON (default) or a mail for `sendmail -t`. */
export type CommandFormat = 'json' | 'mail';

export interface CommandSinkOptions {
  argv: string[];
  format?: CommandFormat;
  /** mail recipient (format mail); ESOS sends everything to root. */
  to?: string;
  timeoutMs?: number;
}

/**
 * Runs a command per alert with the alert on stdin. The argv is executed directly, never
 * through a shell, so nothing in an alert can be interpreted as shell syntax.
 */
export function commandSink(o: CommandSinkOptions): AlertSink {
  if (o.argv.length === 0) {
    throw new AlertSinkError('ALERT_SINK_CONFIG', 'command alert sink needs a non-empty argv', { data: { sink: 'command' } });
  }
  const name = `command:${o.argv[0]}`;
  return {
    name,
    async send(alert: Alert) {
      const input = o.format === 'mail' ? alertMail(alert, o.to) : `${JSON.stringify(alert)}\n`;
      const r = await execa(o.argv[0]!, o.argv.slice(1), { input, reject: false, shell: false, timeout: o.timeoutMs ?? 30_000, stripFinalNewline: true });
      if (r.failed || r.exitCode !== 0) {
        throw new AlertSinkError('ALERT_SINK_FAILED', `${o.argv[0]} exited ${r.exitCode ?? 'abnormally'}: ${String(r.stderr || r.message).slice(0, 200)}`, {
          data: { sink: name, exitCode: r.exitCode },
        });
      }
    },
  };
}
