import type { Command } from '../command.js';
import { applyCommand } from './apply.js';
import { demoCommand } from './demo.js';
import { driftCommand } from './drift.js';
import { exportCommand } from './export.js';
import { hookCommand } from './hook.js';
import { importCommand } from './import.js';
import { initCommand } from './init.js';
import { logCommand } from './log.js';
import { observeCommand } from './observe.js';
import { planCommand } from './plan.js';
import { rollbackCommand } from './rollback.js';
import { schemaCommand } from './schema.js';
import { sim } from './sim.js';
import { validateCommand } from './validate.js';
import { watchCommand } from './watch.js';

/**
 * The command table: one line per command module. Keep it sorted by name.
 */
export const commands: Command[] = [
  applyCommand, demoCommand, driftCommand, exportCommand, hookCommand, importCommand, initCommand, logCommand, observeCommand, planCommand, rollbackCommand, schemaCommand, sim,
  validateCommand, watchCommand,
];
