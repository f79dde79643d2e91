import type { Command } from '../command.js';

/**
 * The command table: one line per command module. Keep it sorted by name.
 */
export const commands: Command[] = [];
