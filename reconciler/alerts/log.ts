import { alertText } from './format.js';
import type { Alert, AlertLogger, AlertSink } from './types.js';

/** The log sink: always present; one pino line per alert (warn, or error when critical). */
export function logSink(logger: AlertLogger): AlertSink {
  return {
    name: 'log',
    async send(alert: Alert) {
      const obj = { alert: alert.kind, node: alert.node, record: alert.record, drift: alert.drift, error: alert.error };
      if (alert.severity === 'critical') logger.error(obj, alertText(alert).trimEnd());
      else if (alert.severity === 'warning') logger.warn(obj, alertText(alert).trimEnd());
      else logger.info(obj, alertText(alert).trimEnd());
    },
  };
}
