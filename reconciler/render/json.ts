import type { Plan } from '../core/change.js';
import { SanformError } from '../core/errors.js';
import { canonicalJson } from '../snapshot/canonical.js';

/** The JSON format version this code writes; readers accept the same major version. */
export const PLAN_FORMAT_VERSION = 1;

/** A saved plan that cannot be read (not JSON, not a plan, or another major version). */
export class PlanFormatError extends SanformError<'PLAN_FORMAT', { file?: string; formatVersion?: unknown }> {
  constructor(message: string, data: { file?: string; formatVersion?: unknown } = {}) {
    super('PLAN_FORMAT', message, { data });
  }
}

/** The JSON plan (docs/plan-format.md): byte-stable, keys sorted, two-space indent. */
export function renderJson(plan: Plan): string {
  return `${canonicalJson(plan, 2)}\n`;
}

/**
 * Reads a JSON plan back. Unknown fields are ignored (and kept); a different major
 * `formatVersion` is refused.
 */
export function parsePlan(text: string, file?: string): Plan {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new PlanFormatError(`${file ?? 'plan'}: not JSON (${(e as Error).message})`, { file });
  }
  if (!o || typeof o !== 'object' || !Array.isArray(o.changes) || typeof o.observedHash !== 'string') {
    throw new PlanFormatError(`${file ?? 'plan'}: not a sanform plan`, { file });
  }
  if (typeof o.formatVersion !== 'number' || Math.floor(o.formatVersion) !== PLAN_FORMAT_VERSION) {
    throw new PlanFormatError(`${file ?? 'plan'}: plan format ${String(o.formatVersion)} is not supported (need ${PLAN_FORMAT_VERSION}.x)`, {
      file,
      formatVersion: o.formatVersion,
    });
  }
  return { blocked: [], ...o } as unknown as Plan;
}
