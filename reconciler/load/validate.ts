/**
 * Validation of the merged document: the JSON Schema (shape) and the rules it cannot express
 * (names, per-handler options, cross references) all run, so one pass reports every problem;
 * the model is normalized (units, hex) only when no error was found.
 */
import type { SanformModel } from '../../schema/model.js';
import { normalize } from './normalize.js';
import { aluaRules } from './rules/alua.js';
import { blockDeviceRules } from './rules/blockdev.js';
import { makeCtx } from './rules/context.js';
import type { Rule } from './rules/context.js';
import { deviceRules } from './rules/devices.js';
import { lunRules } from './rules/luns.js';
import { nameRules } from './rules/names.js';
import { nodeRules } from './rules/nodes.js';
import { policyRules } from './rules/policy.js';
import { storageRules } from './rules/storage.js';
import { targetRules } from './rules/targets.js';
import { valueRules } from './rules/values.js';
import { checkSchema } from './schema-check.js';
import type { PathIndex } from './sources.js';
import type { Diagnostic } from './types.js';

/** Rules that read defensively and run even when the schema found errors. */
const RULES: Rule[] = [valueRules, deviceRules, nameRules, lunRules, targetRules, aluaRules, nodeRules, storageRules, policyRules];
/** Rules that need a document the schema accepted. */
const SHAPED_RULES: Rule[] = [blockDeviceRules];

export interface Checked {
  model?: SanformModel;
  diagnostics: Diagnostic[];
}

export function validateMerged(value: Record<string, unknown>, index: PathIndex): Checked {
  const diagnostics = checkSchema(value, index);
  const shapeOk = diagnostics.length === 0;
  const ctx = makeCtx(value, index, diagnostics);
  for (const rule of RULES) {
    try {
      rule(ctx);
    } catch (e) {
      // a rule tripping over a malformed shape the schema already reported adds nothing
      if (shapeOk) throw e;
    }
  }
  if (shapeOk) for (const rule of SHAPED_RULES) rule(ctx);
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { model: normalize(value) as unknown as SanformModel, diagnostics };
}
