/**
 * Validation of the merged document: JSON Schema first (shape), then normalization (units, hex)
 * and the rules the schema cannot express (names, per-handler options, cross references).
 */
import type { SanformModel } from '../../schema/model.js';
import type { PathIndex } from './sources.js';
import type { Diagnostic } from './types.js';
import { checkSchema } from './schema-check.js';

export interface Checked {
  model?: SanformModel;
  diagnostics: Diagnostic[];
}

export function validateMerged(value: Record<string, unknown>, index: PathIndex): Checked {
  const diagnostics = checkSchema(value, index);
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { model: value as unknown as SanformModel, diagnostics };
}
