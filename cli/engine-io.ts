/**
 * Shared plumbing of the engine commands (plan, apply, drift, observe): logger, colour decision,
 * host opening, diagnostics and option helpers. Parsing and printing only.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import type { CommandIO, ParsedArgs } from './command.js';
import type { Host } from '../reconciler/host/host.js';
import { formatDiagnostic, type Diagnostic } from '../reconciler/load/index.js';
import { parseSnapshot } from '../reconciler/snapshot/index.js';
import type { Snapshot } from '../reconciler/core/resource.js';
import { openHost } from './host.js';
import { SanformError } from '../reconciler/core/errors.js';
import { shellWord } from './usage.js';

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

/**
 * Reads a snapshot file (`plan --observed FILE`); a missing or unreadable file is a coded error
 * naming it (SNAPSHOT_NOT_FOUND says how to make one), not a raw ENOENT.
 */
export async function readSnapshotFile(file: string, io: CommandIO): Promise<Snapshot> {
  const path = resolve(io.cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const errno = (e as NodeJS.ErrnoException).code ?? 'EIO';
    if (errno === 'ENOENT') {
      throw new SanformError('SNAPSHOT_NOT_FOUND', `snapshot file not found: ${file}`, {
        data: { path },
        hint: `record one on a machine with 'sanform observe --out ${shellWord(file)}' (add --host/--node as needed), or plan against the machine with --host instead of --observed`,
        cause: e,
      });
    }
    throw new SanformError('SNAPSHOT_READ_FAILED', `cannot read snapshot file ${file}: ${errno}`, { data: { path, errno }, cause: e });
  }
  return parseSnapshot(text, path);
}

/**
 * Writes a command's `--out FILE`, creating missing directories first (as import does); a write
 * that fails is OUTPUT_WRITE_FAILED naming the path and the errno, not a raw Node error.
 */
export async function writeOutFile(o: { file: string; text: string; io: CommandIO; mode?: number }): Promise<void> {
  const path = resolve(o.io.cwd, o.file);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, o.text, o.mode === undefined ? {} : { mode: o.mode });
  } catch (e) {
    const errno = (e as NodeJS.ErrnoException).code ?? 'EIO';
    throw new SanformError('OUTPUT_WRITE_FAILED', `cannot write ${o.file}: ${errno}`, {
      data: { path, errno },
      hint: errno === 'ENOTDIR' || errno === 'EEXIST' ? `a part of ${o.file} is a file, not a directory; choose another path` : `check that ${dirname(o.file) || '.'} is writable, or choose another path`,
      cause: e,
    });
  }
}

/** A path as the user would type it: relative to the working directory when inside it. */
export function shownPath(cwd: string, file: string): string {
  if (!file) return file;
  const r = relative(cwd, file);
  return r && !r.startsWith('..') ? r : file;
}

/**
 * How much of the diagnostics a command prints: `full` (validate, plan, the push hook: every
 * warning), or `count` (apply, drift, export...: errors in full, warnings as one count line).
 */
export type WarningDetail = 'full' | 'count';

/**
 * Diagnostics as text, one `formatDiagnostic` block each (the loader's format, as `validate`
 * prints it), paths relative to `cwd` when given; with `count`, warnings become one line.
 */
export function diagnosticsText(ds: readonly Diagnostic[], o: { warnings: WarningDetail; cwd?: string }): string {
  const shown = (d: Diagnostic): Diagnostic => (o.cwd ? { ...d, file: shownPath(o.cwd, d.file) } : d);
  const full = o.warnings === 'full' ? ds : ds.filter((d) => d.severity === 'error');
  const lines = full.map((d) => formatDiagnostic(shown(d)));
  const hidden = ds.length - full.length;
  if (hidden > 0) lines.push(`${hidden} warning${hidden === 1 ? '' : 's'}; run sanform validate`);
  return lines.map((l) => `${l}\n`).join('');
}

/** Prints diagnostics on stderr (see `diagnosticsText`); paths relative to the working directory. */
export function printDiagnostics(ds: readonly Diagnostic[], io: CommandIO, o: { warnings: WarningDetail; args?: ParsedArgs }): void {
  const text = diagnosticsText(ds, { warnings: o.warnings, cwd: io.cwd });
  if (text) io.stderr.write(text);
  if (o.args) io.stderr.write(simFilesHint(o.args, ds));
}

/**
 * On an emulated machine (`--host sim:DIR`) a secret file the run cannot read is looked for in
 * DIR/files/PATH first: says so, and which command makes the files the desired state names.
 */
export function simFilesHint(a: ParsedArgs, ds: readonly Diagnostic[]): string {
  const spec = str(a, 'host');
  if (!spec?.startsWith('sim:')) return '';
  if (!ds.some((d) => d.code === 'SECRET_UNAVAILABLE' && d.severity === 'error')) return '';
  const dir = spec.slice('sim:'.length);
  const config = str(a, 'config') ?? 'sanform.yaml';
  return `hint: on the emulated machine ${dir} a secret file PATH is read from ${join(dir, 'files')}/PATH first; ` +
    `'sanform sim files ${shellWord(dir)} --for ${shellWord(config)}' makes the secret and backing files ${config} names\n`;
}

/** Parses `--lock-timeout` in seconds (`30`, `30s`, `2m`). */
export function seconds(v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const m = /^(\d+(?:\.\d+)?)(s|m)?$/.exec(v.trim());
  if (!m) throw new SanformError('USAGE', `not a duration: ${v}`, { hint: 'use e.g. 30, 30s or 2m' });
  return Number(m[1]) * (m[2] === 'm' ? 60 : 1);
}

/** `--now ISO` (a simulated clock for the snapshot sets), else the time now. */
export function nowOption(args: ParsedArgs): Date {
  const nowText = str(args, 'now');
  const now = nowText ? new Date(nowText) : new Date();
  if (Number.isNaN(now.getTime())) throw new SanformError('USAGE', `--now ${nowText} is not a time`, { hint: 'e.g. --now 2026-12-04T10:30:00Z' });
  return now;
}
