import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { CommandIO } from '../command.js';
import { main } from '../main.js';

function capture(cwd: string): { io: CommandIO; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (c) => (o += String(c)));
  stderr.on('data', (c) => (e += String(c)));
  return { io: { stdout, stderr, stdin: new PassThrough(), env: {}, cwd }, out: () => o, err: () => e };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sanform-validate-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('validate: default sanform.yaml in cwd, exit 0 when valid', () =>
  withDir(async (dir) => {
    await writeFile(join(dir, 'sanform.yaml'), 'version: 1\nscst: { devices: { d: { handler: vdisk_nullio } } }\n');
    const c = capture(dir);
    assert.equal(await main(['validate'], c.io), 0);
    assert.match(c.out(), /^sanform\.yaml: valid/m);
  }));

test('validate: text lines file:line:col: error CODE, indented hint, exit 1', () =>
  withDir(async (dir) => {
    await writeFile(join(dir, 'bad.yaml'), 'version: 1\nscst:\n  devices:\n    d: { handler: vdisk_nullio, handlr: x }\n');
    const c = capture(dir);
    assert.equal(await main(['validate', '-c', 'bad.yaml'], c.io), 1);
    const lines = c.out().split('\n');
    assert.match(lines[0], /^bad\.yaml:4:33: error SCHEMA_UNKNOWN_KEY: /);
    assert.match(lines[1], /^ {4}hint: /);
    assert.match(c.out(), /invalid \(1 error, 0 warnings\)/);
  }));

test('validate --json prints ok, files and diagnostics', () =>
  withDir(async (dir) => {
    await writeFile(join(dir, 'a.yaml'), 'version: 1\nscst: { devices: { d: { handler: vdisk_blockio, filename: /dev/md/data } } }\n');
    const c = capture(dir);
    assert.equal(await main(['validate', '--config', dir, '--json'], c.io), 0);
    const r = JSON.parse(c.out()) as { ok: boolean; files: string[]; diagnostics: { code: string; severity: string; line: number }[] };
    assert.equal(r.ok, true);
    assert.deepEqual(r.files, ['a.yaml'], 'shown relative to the working directory');
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity, d.line]), [['UNKNOWN_BLOCK_DEVICE', 'warning', 2]]);
    const missing = capture(dir);
    assert.equal(await main(['validate', '-c', 'nope.yaml', '--json'], missing.io), 1);
    assert.equal((JSON.parse(missing.out()) as { diagnostics: { code: string }[] }).diagnostics[0].code, 'FILE_NOT_FOUND');
  }));

test('schema prints one self-contained JSON document; --help works on both', async () => {
  const c = capture(process.cwd());
  assert.equal(await main(['schema'], c.io), 0);
  const s = JSON.parse(c.out()) as { $defs: Record<string, unknown>; properties: Record<string, unknown> };
  assert.deepEqual(Object.keys(s.$defs).sort(), ['alerts', 'common', 'nodes', 'policy', 'scst', 'secrets', 'storage']);
  assert.ok(!/"\$ref":"[^#]/.test(JSON.stringify(s)));
  for (const cmd of ['schema', 'validate']) {
    const h = capture(process.cwd());
    assert.equal(await main([cmd, '--help'], h.io), 0);
    assert.match(h.out(), new RegExp(`^sanform ${cmd}: `));
  }
});
