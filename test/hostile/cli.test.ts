/**
 * A few hostile inputs through the `sanform` process and the CLI: `-c /dev/zero`, a FIFO and a
 * directory entry linking to /dev/zero are refused without being read (a read of /dev/zero
 * never ends; a FIFO's open waits for a writer), and a located diagnostic is printed.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../engine/cli-run.js';
import { OK_SECRET, materialize, secretsDir } from './corpus.js';

const bin = fileURLToPath(new URL('../../bin/sanform-dev.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'sanform-hostile-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const sanform = (args: string[]): Promise<{ code: number; text: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: tmp, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: typeof err?.code === 'number' ? err.code : err ? -1 : 0, text: `${stdout}\n${stderr}` });
    });
  });

test('validate -c /dev/zero, a FIFO, or a directory holding a link to /dev/zero: FILE_NOT_REGULAR, nothing read', async () => {
  const fifo = join(tmp, 'fifo.yaml');
  execFileSync('mkfifo', [fifo]);
  const dir = join(tmp, 'linked');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.yaml'), 'version: 1\n');
  symlinkSync('/dev/zero', join(dir, 'z.yaml'));
  const runs = await Promise.all([sanform(['validate', '-c', '/dev/zero']), sanform(['validate', '-c', fifo]), sanform(['validate', '-c', dir])]);
  for (const [i, r] of runs.entries()) {
    assert.equal(r.code, 1, r.text);
    assert.match(r.text, /FILE_NOT_REGULAR/, `run ${i}: ${r.text}`);
  }
  assert.match(runs[2].text, /z\.yaml/);
});

test('apply of an injection through the CLI stops at validate with file:line:col, and the machine is untouched', async () => {
  const secrets = secretsDir(tmp);
  const cfg = materialize('inj-semicolon-filename.yaml', tmp, secrets);
  const sim = join(tmp, 'sim');
  assert.equal((await runCli(tmp, ['sim', 'init', sim])).code, 0);
  const env = { SANFORM_SECRETS_DIR: secrets, SANFORM_HOSTILE_OK: OK_SECRET };
  const r = await runCli(tmp, ['apply', '-c', cfg, '--host', `sim:${sim}`, '--auto-approve'], env);
  assert.equal(r.code, 1, r.out + r.err);
  // header (2 lines), version, scst, devices, then the device: line 6
  assert.match(r.out + r.err, /(^|\/)inj-semicolon-filename\.yaml:6:\d+: error VALUE_LEXEM/m);
  const next = await runCli(tmp, ['plan', '-c', materialize('secret-ok.yaml', tmp, secrets), '--host', `sim:${sim}`, '--detailed-exitcode'], env);
  assert.equal(next.code, 2, 'a good file still has everything to do: nothing was applied');
  assert.ok(!(next.out + next.err).includes(OK_SECRET));
});
