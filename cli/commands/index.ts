import type { Command } from '../command.js';
import { applyCommand } from './apply.js';
import { driftCommand } from './drift.js';
import { observeCommand } from './observe.js';
import { planCommand } from './plan.js';
import { schemaCommand } from './schema.js';
import { sim } from './sim.js';
import { validateCommand } from './validate.js';

/**
 * The command table: one line per command module. Keep it sorted by name.
 */
export const commands: Command[] = [applyCommand, driftCommand, observeCommand, planCommand, schemaCommand, sim, validateCommand];
