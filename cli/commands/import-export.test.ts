import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '../main.js';

const full = fileURLToPath(new URL('../../test/fixtures/scst-conf/full.conf', import.meta.url));

function io(cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  return { io: { stdout, stderr, stdin: new PassThrough(), env: {}, cwd }, out: () => out, err: () => err };
}

test('import --from-scst-conf, export --format scst.conf --include-secrets, import again: same YAML', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sanform-cli-ie-'));
  try {
    const a = io(dir);
    assert.equal(await main(['import', '--from-scst-conf', full, '--out', 'sanform.yaml'], a.io), 0, a.err());
    const yaml = await readFile(join(dir, 'sanform.yaml'), 'utf8');
    assert.equal((await stat(join(dir, 'secrets', 'chap-dbhost'))).mode & 0o777, 0o600);
    const b = io(dir);
    assert.equal(await main(['export', '--format', 'scst.conf', '-c', 'sanform.yaml', '--node', 'esos-sim', '--include-secrets', '--out', 'scst.conf'], b.io), 0, b.err());
    const c = io(dir);
    assert.equal(await main(['import', '--from-scst-conf', 'scst.conf', '--node', 'localhost'], c.io), 0, c.err());
    assert.equal(c.out(), yaml);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('export refuses an unknown format', async () => {
  const a = io(tmpdir());
  assert.equal(await main(['export', '--format', 'json'], a.io), 1);
});
