import type { Command } from '../command.js';
import { schemaCommand } from './schema.js';
import { sim } from './sim.js';
import { validateCommand } from './validate.js';

/**
 * The command table: one line per command module. Keep it sorted by name.
 */
export const commands: Command[] = [schemaCommand, sim, validateCommand];
