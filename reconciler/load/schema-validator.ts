/**
 * The compiled JSON Schema validator of the bundled schema. From the sources it is compiled with
 * ajv on first use; the build (pack/build.ts) replaces this module with ajv's standalone code,
 * generated from the same schema with the same options, so a built sanform compiles nothing.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { SchemaObject } from '../../schema/documents.js';

/** ajv's options; the build's standalone code is generated with these too. */
export const AJV_OPTIONS = {
  allErrors: true, verbose: true, discriminator: true, strict: true, strictRequired: false, allowUnionTypes: true,
  // code.optimize off: compiling is a third faster, validating the largest configs is no slower
  code: { optimize: false },
} as const;

/** `bundle` compiled (from the sources), or the precompiled function (in the build). */
export function compileValidator(bundle: SchemaObject): ValidateFunction {
  return new Ajv2020(AJV_OPTIONS).compile(bundle);
}
