/**
 * ajv's standalone code for the bundled schema, with the options sanform validates with: the
 * module that replaces reconciler/load/schema-validator.ts in the build.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import standalone from 'ajv/dist/standalone/index.js';
import { bundleSchema } from '../schema/bundle.js';
import { AJV_OPTIONS } from '../reconciler/load/schema-validator.js';

// a CommonJS module whose function is its `default` export
const standaloneCode = standalone.default;

/** An ES module exporting `AJV_OPTIONS` and `compileValidator()` (which returns the precompiled function). */
export async function standaloneValidator(): Promise<string> {
  // the generated code is optimized (only compile time made it worth turning off)
  const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { source: true, esm: true, optimize: true } });
  const code = standaloneCode(ajv, ajv.compile(bundleSchema()));
  return [
    code,
    `export const AJV_OPTIONS = ${JSON.stringify(AJV_OPTIONS)};`,
    'export function compileValidator() { return validate; }',
    '',
  ].join('\n');
}
