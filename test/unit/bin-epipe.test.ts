/**
 * bin/sanform-dev.js (the entry the tests run; bin/sanform.js shares cli/entry.ts): a reader that closes the pipe early (`sanform schema | head`) is no crash, and
 * the command keeps its own exit code (a pipeline must not turn a failure or drift into 0).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultHardware, initSimDir } from '../../drivers/sim/index.js';

const bin = fileURLToPath(new URL('../../bin/sanform-dev.js', import.meta.url));

/** Runs sanform with its stdout closed before it writes; its exit code and stderr. */
async function withReaderGone(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  // the reader is gone before the child (still loading) writes anything: its first write fails
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
  return { code, stderr };
}

test('output piped into a reader that goes away: no EPIPE trace, and the exit code is the command\'s', { timeout: 30_000 }, async () => {
  const ok = await withReaderGone(['schema']);
  assert.equal(ok.stderr.includes('EPIPE'), false, ok.stderr);
  assert.equal(ok.code, 0);
  const dir = mkdtempSync(join(tmpdir(), 'sanform-epipe-'));
  try {
    await initSimDir(join(dir, 'sim'), defaultHardware());
    writeFileSync(join(dir, 'sanform.yaml'), 'version: 1\nscst:\n  devices:\n    d1: { handler: vdisk_nullio }\n');
    // a plan with changes writes to stdout and exits 2 with --detailed-exitcode: still 2
    const changes = await withReaderGone(['plan', '-c', join(dir, 'sanform.yaml'), '--host', `sim:${join(dir, 'sim')}`, '--detailed-exitcode']);
    assert.equal(changes.stderr.includes('EPIPE'), false, changes.stderr);
    assert.equal(changes.code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
