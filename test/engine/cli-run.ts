/** Runs cli/main.ts in-process with captured stdout/stderr, for the engine CLI tests. */
import { PassThrough } from 'node:stream';
import { main } from '../../cli/main.js';
import type { CommandIO } from '../../cli/command.js';
import { setSelf } from '../../cli/self.js';

// what a command run here writes into git hooks (sanform init) or a launcher: the entry the tests
// start as a process (test/bin.ts: this run's build, else the sources)
if (process.env.SANFORM_TEST_BIN) setSelf([process.execPath, process.env.SANFORM_TEST_BIN]);

/** `tty`: stdin is a terminal that answers with this line (for commands that ask). */
export async function runCli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, o: { tty?: string } = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = Object.assign(new PassThrough(), { isTTY: false });
  const stderr = Object.assign(new PassThrough(), { isTTY: false });
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const stdin = Object.assign(new PassThrough(), { isTTY: o.tty !== undefined });
  if (o.tty !== undefined) stdin.end(`${o.tty}\n`);
  // the machine's secrets directory as test/run.js sets it, unless the test gives its own
  const io: CommandIO = { stdout, stderr, stdin, env: { SANFORM_SECRETS_DIR: process.env.SANFORM_SECRETS_DIR, ...env }, cwd };
  const code = await main(args, io);
  return { code, out, err };
}
