import type { ParseArgsConfig } from 'node:util';
import type { CommandIO } from '../../command.js';

/** One `sanform sim <action>`: its own options are merged into the `sim` command's options. */
export interface SimAction {
  name: string;
  summary: string;
  /** synopsis and details, shown by `sanform sim --help`. */
  usage: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  run(args: string[], values: Record<string, unknown>, io: CommandIO): Promise<number>;
}
