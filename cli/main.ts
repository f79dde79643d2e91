import pkg from '../package.json' with { type: 'json' };
import { parseArgs } from 'node:util';
import type { Command, CommandIO } from './command.js';
import { commonOptions } from './command.js';
import { commands } from './commands/index.js';
import { closest } from '../reconciler/load/suggest.js';
import { checkLogLevel, parseErrorMessage, unexpectedArgument } from './usage.js';

// the version is part of the build (no file is read for it, so the single executable knows it too)
const version = (): string => pkg.version;

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 8);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'sanform: declarative GitOps reconciler for SCST storage servers',
    '',
    'Usage: sanform <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options every command takes:',
    '  -c, --config FILE|DIR   desired-state file or directory (default: sanform.yaml)',
    '  --host SPEC             machine to act on (default: local): local (this machine),',
    '                          local:DIR (this machine, SCST sysfs read from DIR) or sim:DIR',
    '                          (the emulated machine kept in DIR, see sanform sim)',
    '  --node NAME             node of a pair to act as (default: the host name)',
    '  --log-level LEVEL       pino level for the JSON logs on stderr (default: warn)',
    '  -h, --help              help for a command',
    '',
    'Run `sanform <command> --help` (or `sanform help <command>`) for details. `sanform --version` prints the version (`sanform version` the node and native helper too).',
    '',
  ].join('\n');
}

export function helpText(cmd: Command): string {
  return `sanform ${cmd.name}: ${cmd.summary}\n\n${cmd.usage.trimEnd()}\n`;
}

/** `a` with two neighbouring letters swapped is `b` (`shwo` for `show`). */
const swapped = (a: string, b: string): boolean => {
  if (a.length !== b.length || a === b) return false;
  const i = [...a].findIndex((ch, k) => ch !== b[k]);
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
};

/** The command a mistyped name most likely meant: one edit away (two for long names), or a swap. */
function meant(name: string): string | undefined {
  if (name.startsWith('-')) return undefined;
  const names = ['help', ...commands.map((c) => c.name)];
  return names.find((c) => swapped(name.toLowerCase(), c)) ?? closest(name, names);
}

/** The command table entry of `name`; an unknown name is reported on stderr (undefined). */
function findCommand(name: string, io: CommandIO): (typeof commands)[number] | undefined {
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    const near = meant(name);
    const mean = near ? ` Did you mean 'sanform ${near}'?` : '';
    io.stderr.write(`sanform: unknown command '${name}'.${mean} Run 'sanform --help' for the list.\n`);
  }
  return entry;
}

/** `sanform help CMD`: the same text as `sanform CMD --help`. */
async function helpFor(name: string, io: CommandIO): Promise<number> {
  const entry = findCommand(name, io);
  if (!entry) return 1;
  io.stdout.write(helpText(await entry.load()));
  return 0;
}

/** Parses argv, dispatches to a command, returns the exit code. Never throws. */
export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help' && rest[0] !== undefined) return helpFor(rest[0], io);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(overview());
    return name ? 0 : 1;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${version()}\n`);
    return 0;
  }
  const entry = findCommand(name, io);
  if (!entry) return 1;
  const cmd = await entry.load();
  const options = { ...commonOptions, ...cmd.options };
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (e) {
    io.stderr.write(`sanform ${cmd.name}: ${parseErrorMessage(e as Error, options)}\n\n${helpText(cmd)}`);
    return 1;
  }
  if (parsed.values.help) {
    io.stdout.write(helpText(cmd));
    return 0;
  }
  if (!cmd.positionals && parsed.positionals.length > 0) {
    io.stderr.write(`sanform ${cmd.name}: ${unexpectedArgument({ arg: parsed.positionals[0], usage: cmd.usage, cwd: io.cwd })}\n`);
    return 1;
  }
  try {
    checkLogLevel(parsed as never);
    return await cmd.run(parsed as never, io);
  } catch (e) {
    const err = e as Error & { code?: string; hint?: string };
    io.stderr.write(`sanform ${cmd.name}: error${err.code ? ` ${err.code}` : ''}: ${err.message}\n`);
    if (err.hint) io.stderr.write(`  hint: ${err.hint}\n`);
    if (io.env.SANFORM_DEBUG) io.stderr.write(`${err.stack}\n`);
    return exitCodeOf(err);
  }
}

/** The exit code of a command that failed with `err`: 3 when another apply holds the machine, else 1. */
export const exitCodeOf = (err: { code?: string }): number => (err.code === 'APPLY_IN_PROGRESS' ? EXIT_APPLY_IN_PROGRESS : 1);

/** Exit code of apply, plan, drift (and the GitOps commands) while another apply runs on the machine. */
export const EXIT_APPLY_IN_PROGRESS = 3;

export function processIO(): CommandIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}
