/**
 * The exec half of LocalHost: argv arrays through execa, never a shell; input through stdin
 * (secrets never go on argv).
 */
import { constants } from 'node:os';
import { execa } from 'execa';
import { ErrnoError } from '../core/errors.js';
import type { ExecOptions, ExecResult } from './host.js';

/**
 * Runs a command and returns its exit code and output, whatever the exit code. A command killed
 * by a signal gets 128 + the signal number, as in a shell. A command that cannot be started
 * rejects with ErrnoError (ENOENT, EACCES); one that overruns `timeoutMs` with ETIMEDOUT.
 */
export async function runCommand(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const [file, ...args] = argv;
  if (!file) throw new ErrnoError('EINVAL', { message: 'exec: empty argv' });
  const command = argv.join(' ');
  const r = await execa(file, args, {
    input: opts.input ?? '',
    timeout: opts.timeoutMs,
    env: opts.env,
    cwd: opts.cwd,
    reject: false,
    shell: false,
    stripFinalNewline: false,
    encoding: 'utf8',
  });
  if (r.timedOut) throw new ErrnoError('ETIMEDOUT', { command, message: `timed out after ${opts.timeoutMs} ms: ${command}` });
  const code = (r.cause as { code?: string } | undefined)?.code;
  if (r.exitCode === undefined && !r.signal) throw new ErrnoError(code && /^E[A-Z]+$/.test(code) ? code : 'EIO', { command, cause: r.cause, path: file });
  const exitCode = r.exitCode ?? 128 + ((constants.signals as Record<string, number>)[r.signal ?? ''] ?? 0);
  return { exitCode, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}
