import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../test/engine/cli-run.js';

const full = fileURLToPath(new URL('../../test/fixtures/scst-conf/full.conf', import.meta.url));


test('import --from-scst-conf, export --format scst.conf --include-secrets, import again: same YAML', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sanform-cli-ie-'));
  try {
    const a = await runCli(dir, ['import', '--from-scst-conf', full, '--out', 'sanform.yaml']);
    assert.equal(a.code, 0, a.err);
    const yaml = await readFile(join(dir, 'sanform.yaml'), 'utf8');
    assert.equal((await stat(join(dir, 'secrets', 'chap-dbhost'))).mode & 0o777, 0o600);
    const b = await runCli(dir, ['export', '--format', 'scst.conf', '-c', 'sanform.yaml', '--node', 'esos-sim', '--include-secrets', '--out', 'scst.conf']);
    assert.equal(b.code, 0, b.err);
    const c = await runCli(dir, ['import', '--from-scst-conf', 'scst.conf', '--node', 'localhost']);
    assert.equal(c.code, 0, c.err);
    assert.equal(c.out, yaml);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('export refuses an unknown format', async () => {
  const a = await runCli(tmpdir(), ['export', '--format', 'json']);
  assert.equal(a.code, 1);
});

test('import --from-scst-conf: a finding about the imported model points at the scst.conf line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sanform-cli-ie-'));
  try {
    const conf = 'HANDLER vdisk_blockio {\n\tDEVICE vm1 {\n\t\tfilename /dev/sdb\n\t\to_direct 1\n\t}\n}\n';
    await writeFile(join(dir, 'old.conf'), conf);
    const a = await runCli(dir, ['import', '--from-scst-conf', 'old.conf']);
    assert.equal(a.code, 1);
    assert.match(a.err, /old\.conf:4:1\b/, a.err);
    assert.doesNotMatch(a.err, /<stdout>/);
    assert.match(a.err, /IMPORT_INVALID|not valid/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
