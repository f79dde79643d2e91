import type { AlertSpec } from '../../schema/model.js';
import { commandSink, type CommandFormat } from './command.js';
import { logSink } from './log.js';
import { metricsExporter, type MetricsExporter } from './metrics.js';
import type { Alert, AlertLogger, AlertSink, SinkResult } from './types.js';
import { webhookSink, type WebhookOptions } from './webhook.js';

/** The sinks of one node, built from `alerts:`; `raise` never throws. */
export interface Alerter {
  readonly sinks: readonly AlertSink[];
  /** the metrics exporter, when `alerts:` has a metrics entry. */
  readonly metrics?: MetricsExporter & { start(): Promise<void> };
  raise(alert: Alert): Promise<SinkResult[]>;
  close(): Promise<void>;
}

export interface AlerterOptions {
  specs: readonly AlertSpec[] | undefined;
  node: string;
  logger: AlertLogger;
  /** test seams for the webhook sink. */
  webhook?: Pick<WebhookOptions, 'sleep' | 'fetch' | 'backoffMs'>;
}

/**
 * The format of a command sink that does not name one (the schema documents this default):
 * sendmail and ssmtp read a mail message, not JSON, so they get a mail (to root, as every ESOS
 * alert is) with the JSON in its body; any other command gets the JSON.
 */
export const defaultFormat = (argv: readonly string[]): CommandFormat =>
  /(^|\/)(sendmail|ssmtp)$/.test(argv[0] ?? '') ? 'mail' : 'json';

/** Builds the sinks: `log` always, then the others in file order. */
export function buildAlerter(o: AlerterOptions): Alerter {
  const sinks: AlertSink[] = [logSink(o.logger)];
  let metrics: Alerter['metrics'];
  for (const spec of o.specs ?? []) {
    if (spec.type === 'command') {
      sinks.push(commandSink({ argv: spec.argv, format: spec.format ?? defaultFormat(spec.argv), to: spec.to }));
    } else if (spec.type === 'webhook') {
      sinks.push(webhookSink({ url: spec.url, headers: spec.headers, retries: spec.retries, ...o.webhook }));
    } else if (spec.type === 'metrics' && !metrics) {
      metrics = metricsExporter({ node: o.node, textfile: spec.textfile, listen: spec.listen });
      sinks.push(metrics);
    }
  }
  return {
    sinks,
    metrics,
    async raise(alert) {
      const results = await Promise.all(
        sinks.map(async (s): Promise<SinkResult> => {
          try {
            await s.send(alert);
            return { sink: s.name, ok: true };
          } catch (e) {
            const err = e as { code?: string; message?: string };
            const error = { code: String(err.code ?? 'ALERT_SINK_FAILED'), message: String(err.message ?? e) };
            o.logger.error({ sink: s.name, error }, `alert sink ${s.name} failed`);
            return { sink: s.name, ok: false, error };
          }
        }),
      );
      if (metrics && results.some((r) => !r.ok)) {
        metrics.state.alertFailuresTotal += results.filter((r) => !r.ok).length;
        await metrics.flush().catch(() => undefined);
      }
      return results;
    },
    async close() {
      await Promise.all(sinks.map((s) => s.close?.().catch(() => undefined)));
    },
  };
}
