/**
 * Shared plumbing of the engine commands (plan, apply, drift, observe): logger, colour decision,
 * host opening, diagnostics and option helpers. Parsing and printing only.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import type { CommandIO, ParsedArgs } from './command.js';
import type { Host } from '../reconciler/host/host.js';
import type { Diagnostic } from '../reconciler/load/index.js';
import { parseSnapshot } from '../reconciler/snapshot/index.js';
import type { Snapshot } from '../reconciler/core/resource.js';
import { openHost } from './host.js';
import { SanformError } from '../reconciler/core/errors.js';

export const str = (a: ParsedArgs, k: string): string | undefined => {
  const v = a.values[k];
  return typeof v === 'string' ? v : undefined;
};
export const flag = (a: ParsedArgs, k: string): boolean => a.values[k] === true;
export const list = (a: ParsedArgs, k: string): string[] => {
  const v = a.values[k];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
};

/** pino JSON logs on stderr; `--log-level`, default warn. */
export function logger(a: ParsedArgs, io: CommandIO): Logger {
  return pino({ level: str(a, 'log-level') ?? 'warn', base: { cmd: 'sanform' } }, io.stderr as NodeJS.WritableStream as never);
}

/** Colour only on a TTY and never with NO_COLOR. */
export const useColor = (io: CommandIO, stream: 'stdout' | 'stderr' = 'stdout'): boolean =>
  Boolean(io[stream].isTTY) && (io.env.NO_COLOR === undefined || io.env.NO_COLOR === '');

export async function hostFor(a: ParsedArgs, io: CommandIO): Promise<Host> {
  return openHost(str(a, 'host') ?? 'local', { cwd: io.cwd });
}

export const configPath = (a: ParsedArgs, io: CommandIO): string => resolve(io.cwd, str(a, 'config') ?? 'sanform.yaml');

export async function readSnapshotFile(file: string, io: CommandIO): Promise<Snapshot> {
  const path = resolve(io.cwd, file);
  return parseSnapshot(await readFile(path, 'utf8'), path);
}

/** `file:line:col: error CODE: message` lines, as editors and git hooks expect. */
export function printDiagnostics(ds: readonly Diagnostic[], io: CommandIO): void {
  for (const d of ds) {
    io.stderr.write(`${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code}: ${d.message}${d.hint ? ` (${d.hint})` : ''}\n`);
  }
}

/** Parses `--lock-timeout` in seconds (`30`, `30s`, `2m`). */
export function seconds(v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const m = /^(\d+(?:\.\d+)?)(s|m)?$/.exec(v.trim());
  if (!m) throw new SanformError('USAGE', `not a duration: ${v}`, { hint: 'use e.g. 30, 30s or 2m' });
  return Number(m[1]) * (m[2] === 'm' ? 60 : 1);
}
