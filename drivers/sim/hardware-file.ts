/**
 * Reads a hardware profile file (YAML or JSON, format in drivers/sim/README.md).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { SanformError } from '../../reconciler/core/errors.js';
import type { HardwareProfile } from './hardware.js';
import { checkHardware, normalizeHardware } from './hardware.js';

export class HardwareProfileError extends SanformError<'SIM_BAD_HARDWARE', { file: string; problems: string[] }> {
  constructor(file: string, problems: string[]) {
    super('SIM_BAD_HARDWARE', `${file}: invalid hardware profile: ${problems.join('; ')}`, {
      data: { file, problems },
      hint: 'see drivers/sim/README.md for the format',
    });
  }
}

export function loadHardware(file: string): HardwareProfile {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new HardwareProfileError(file, [(e as Error).message]);
  }
  const problems = checkHardware(doc);
  if (problems.length) throw new HardwareProfileError(file, problems);
  return normalizeHardware(doc as HardwareProfile);
}
