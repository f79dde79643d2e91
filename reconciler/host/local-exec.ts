/**
 * The exec half of LocalHost: argv arrays through execa, never a shell; input through stdin
 * (secrets never go on argv).
 */
import { constants } from 'node:os';
import { spawn } from 'node:child_process';
import { execa } from 'execa';
import { ErrnoError } from '../core/errors.js';
import type { ExecOptions, ExecResult, PipeResult } from './host.js';

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

/**
 * `from | to` without a shell: two processes, `from`'s stdout counted on its way into `to`'s
 * stdin. A receiver that dies ends the sender (EPIPE is a result, not a crash); `timeoutMs`
 * kills both.
 */
export function runPipe(from: string[], to: string[], opts: { timeoutMs?: number } = {}): Promise<PipeResult> {
  return new Promise((resolve, reject) => {
    const a = spawn(from[0]!, from.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    const b = spawn(to[0]!, to.slice(1), { stdio: ['pipe', 'ignore', 'pipe'] });
    const err: [string, string] = ['', ''];
    const codes: (number | undefined)[] = [undefined, undefined];
    let bytes = 0;
    let failed: Error | undefined;
    a.stderr.on('data', (d: Buffer) => (err[0] += d.toString()));
    b.stderr.on('data', (d: Buffer) => (err[1] += d.toString()));
    a.stdout.on('data', (d: Buffer) => (bytes += d.length));
    a.stdout.pipe(b.stdin);
    b.stdin.on('error', () => a.kill('SIGTERM'));
    const timer = opts.timeoutMs ? setTimeout(() => (a.kill('SIGKILL'), b.kill('SIGKILL')), opts.timeoutMs) : undefined;
    const done = () => {
      if (codes[0] === undefined || codes[1] === undefined) return;
      if (timer) clearTimeout(timer);
      if (failed) reject(failed);
      else resolve({ exitCodes: [codes[0], codes[1]], stderr: err, bytes });
    };
    const code = (c: number | null, sig: NodeJS.Signals | null) => c ?? 128 + ((constants.signals as Record<string, number>)[sig ?? ''] ?? 0);
    for (const [i, p, argv] of [[0, a, from], [1, b, to]] as const) {
      p.on('error', (e: NodeJS.ErrnoException) => {
        failed ??= new ErrnoError(e.code && /^E[A-Z]+$/.test(e.code) ? e.code : 'EIO', { command: argv.join(' '), cause: e, path: argv[0] });
        codes[i] = 127;
        if (i === 0) b.stdin.end();
        done();
      });
      p.on('close', (c, sig) => {
        codes[i] = code(c, sig);
        done();
      });
    }
  });
}
