/** bin/sanform.js: a reader that closes the pipe early (`sanform schema | head`) is no crash. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/sanform.js', import.meta.url));

test('output piped into a reader that goes away: quiet exit 0, no EPIPE trace', { timeout: 30_000 }, async () => {
  const child = spawn(process.execPath, [bin, 'schema'], { stdio: ['ignore', 'pipe', 'pipe'] });
  // the reader is gone before the child (still loading) writes anything: its first write fails
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
  assert.equal(stderr.includes('EPIPE'), false, stderr);
  assert.equal(code, 0);
});
