import { SanformError } from '../core/errors.js';

/** An alert sink could not deliver (command failed, webhook answered an error, no route). */
export class AlertSinkError extends SanformError<'ALERT_SINK_FAILED' | 'ALERT_SINK_CONFIG', { sink: string; status?: number; exitCode?: number }> {}
