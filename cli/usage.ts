/**
 * Command-line usage checks shared by every command: option conflicts, `--log-level` values,
 * unknown options with a "did you mean", stray positional arguments. Each refusal is a USAGE
 * error (exit 1) that names the options involved; nothing here touches a machine.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import type { CommandIO, ParsedArgs } from './command.js';
import type { Plan } from '../reconciler/core/change.js';
import { SanformError } from '../reconciler/core/errors.js';
import { unmatchedAllows } from '../reconciler/plan/allow.js';
import { closest } from '../reconciler/load/suggest.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** pino's levels, plus `silent`, in the order people read them. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** An option as the user types it: `-c/--config`, `--json`. */
export function optionLabel(key: string, options: Options = {}): string {
  const short = options[key]?.short;
  return short ? `-${short}/--${key}` : `--${key}`;
}

const given = (a: ParsedArgs, key: string): boolean => a.values[key] !== undefined && a.values[key] !== false;

/**
 * Refuses options given together that exclude each other; each pair is `[a, b, why]` where `why`
 * says what to do instead. The first conflicting pair found is reported.
 */
export function refuseConflicts(a: ParsedArgs, pairs: readonly (readonly [string, string, string])[], options: Options = {}): void {
  for (const [x, y, why] of pairs) {
    if (!given(a, x) || !given(a, y)) continue;
    const [lx, ly] = [optionLabel(x, options), optionLabel(y, options)];
    throw new SanformError('USAGE', `${lx} and ${ly} conflict: ${why}`, { data: { options: [x, y] }, hint: `pass only one of ${lx} and ${ly}` });
  }
}

/** Refuses a `--log-level` pino does not know, listing the levels it does. */
export function checkLogLevel(a: ParsedArgs): void {
  const level = a.values['log-level'];
  if (level === undefined || (LOG_LEVELS as readonly unknown[]).includes(level)) return;
  throw new SanformError('USAGE', `--log-level ${String(level)} is not a log level`, {
    data: { level },
    hint: `use one of ${LOG_LEVELS.join(', ')}`,
  });
}

/**
 * The message for a parse error of node:util's parseArgs. An unknown option gets balanced quotes
 * and the closest long option of the command; other parse errors keep Node's wording.
 */
export function parseErrorMessage(e: Error & { code?: string }, options: Options): string {
  const m = /^Unknown option '([^']+)'/.exec(e.message);
  if (e.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || !m) return e.message;
  const opt = m[1];
  const near = opt.startsWith('--') ? closest(opt.slice(2), Object.keys(options)) : undefined;
  const mean = near ? `; did you mean ${optionLabel(near, options)}?` : '';
  return `unknown option '${opt}'${mean} (an argument that starts with '-' goes after '--', as in: -- ${opt})`;
}

/** A positional that names a file or directory, or looks like a desired-state file. */
function looksLikePath(arg: string, cwd: string): boolean {
  return /\.ya?ml$/i.test(arg) || arg.includes('/') || existsSync(resolve(cwd, arg));
}

/**
 * The message for a positional argument a command does not take. Commands that read the desired
 * state (their synopsis, the usage's first line, shows `-c`) say how to name it when the argument looks like a path.
 */
export function unexpectedArgument(o: { arg: string; usage: string; cwd: string }): string {
  const takesConfig = /(^|[\s[])-c\b/.test(o.usage.split('\n')[0]);
  if (takesConfig && looksLikePath(o.arg, o.cwd)) {
    return `unexpected argument '${o.arg}': to name the desired-state file, use -c ${o.arg}`;
  }
  return `unexpected argument '${o.arg}'`;
}

/** One shell word: left bare when safe, single-quoted otherwise. */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The options of this run that a suggested follow-up command must repeat to reach the same
 * machine and files: `--host`, `--node` and `-c` when the user gave them.
 */
export function repeatedOptions(a: ParsedArgs, keys: readonly string[] = ['config', 'host', 'node']): string {
  const words: string[] = [];
  for (const k of keys) {
    const v = a.values[k];
    if (typeof v === 'string') words.push(k === 'config' ? '-c' : `--${k}`, shellWord(v));
  }
  return words.map((w) => ` ${w}`).join('');
}

/**
 * Warns on stderr about each `--allow` address that names no change of the plan (a typo would
 * otherwise approve nothing without a word). Never fails the command.
 */
export function warnUnmatchedAllows(o: { cmd: string; plan: Pick<Plan, 'changes' | 'blocked'>; allow: readonly string[]; io: CommandIO }): void {
  for (const a of unmatchedAllows(o.plan, o.allow)) o.io.stderr.write(`sanform ${o.cmd}: warning: --allow ${a} matches no change of this plan\n`);
}
