import { AlertSinkError } from './errors.js';
import type { Alert, AlertSink } from './types.js';

export interface WebhookOptions {
  url: string;
  headers?: Record<string, string>;
  /** attempts after the first one (default 4). */
  retries?: number;
  /** first backoff delay; doubles each retry (default 500 ms, capped at 30 s). */
  backoffMs?: number;
  timeoutMs?: number;
  /** injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * POSTs the alert as JSON. Network errors, timeouts, 429 and 5xx answers are retried with
 * exponential backoff; other 4xx answers are final (retrying would not help).
 */
export function webhookSink(o: WebhookOptions): AlertSink {
  const name = `webhook:${o.url}`;
  const retries = o.retries ?? 4;
  const sleep = o.sleep ?? defaultSleep;
  const doFetch = o.fetch ?? fetch;
  return {
    name,
    async send(alert: Alert) {
      const body = JSON.stringify(alert);
      let last: AlertSinkError | undefined;
      for (let attempt = 0; attempt <= retries; attempt++) {
        if (attempt > 0) await sleep(Math.min((o.backoffMs ?? 500) * 2 ** (attempt - 1), 30_000));
        try {
          const res = await doFetch(o.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'user-agent': 'sanform', ...o.headers },
            body,
            signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
          });
          await res.arrayBuffer().catch(() => undefined);
          if (res.ok) return;
          last = new AlertSinkError('ALERT_SINK_FAILED', `${o.url} answered ${res.status}`, { data: { sink: name, status: res.status } });
          if (res.status < 500 && res.status !== 429) break;
        } catch (e) {
          last = new AlertSinkError('ALERT_SINK_FAILED', `${o.url}: ${(e as Error).message}`, { data: { sink: name }, cause: e });
        }
      }
      throw last!;
    },
  };
}
