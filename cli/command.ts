import type { ParseArgsConfig } from 'node:util';

/** Options every command accepts (DESIGN §8). */
export const commonOptions = {
  config: { type: 'string', short: 'c' },
  host: { type: 'string' },
  node: { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export interface CommandIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * One sub-command. `run` returns the exit code: 0 ok, 1 error, 2 "changes" or "drift" where the
 * command documents it. Usage text is shown by `sanform CMD --help`.
 */
export interface Command {
  name: string;
  summary: string;
  /** full help text after the summary: synopsis, options, exit codes, examples. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** accepts positional arguments (default false). */
  positionals?: boolean;
  run(args: ParsedArgs, io: CommandIO): Promise<number>;
}
