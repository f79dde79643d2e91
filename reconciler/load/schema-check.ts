/**
 * JSON Schema validation of the merged document, with ajv errors mapped back to YAML positions.
 * (First cut: checks `version` only; the composed schema under schema/ replaces this.)
 */
import type { PathIndex } from './sources.js';
import type { Diagnostic } from './types.js';

export function checkSchema(value: Record<string, unknown>, index: PathIndex): Diagnostic[] {
  if (value.version === 1) return [];
  const missing = !('version' in value);
  return [{
    ...index.locate(['version'], 'value'), path: 'version', code: missing ? 'SCHEMA_REQUIRED' : 'SCHEMA_ENUM',
    severity: 'error', message: missing ? 'version is required' : 'version must be 1', hint: 'write `version: 1` at the top',
  }];
}
