import type { DriftItem } from '../drift/types.js';

/**
 * An alert: what happened on which node, and where to look. A drift alert names, per drifted
 * field, the address, the field, the expected and the found value, and the record commit whose
 * `git diff` shows it.
 */
export type AlertKind = 'drift' | 'apply-failed' | 'record-failed' | 'record-recovered' | 'watch-error' | 'upstream' | 'scheduled-failed';

export type Severity = 'info' | 'warning' | 'critical';

export interface Alert {
  kind: AlertKind;
  severity: Severity;
  node: string;
  /** one line for people (mail subject, log message). */
  summary: string;
  /** ISO time the condition was seen. */
  time: string;
  /** the record commit that shows the state (drift: the observed record). */
  record?: string;
  /** the desired revision in force. */
  desiredRevision?: string;
  drift?: DriftItem[];
  error?: { code: string; message: string };
}

/** A destination for alerts. `send` rejects on failure; the dispatcher contains that. */
export interface AlertSink {
  /** `log`, `command:/usr/sbin/sendmail`, `webhook:https://...`, `metrics`. */
  readonly name: string;
  send(alert: Alert): Promise<void>;
  close?(): Promise<void>;
}

export interface SinkResult {
  sink: string;
  ok: boolean;
  error?: { code: string; message: string };
}

/** The minimal logger the sinks use (pino's shape). */
export interface AlertLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
