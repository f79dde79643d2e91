import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDesired, loadDesiredTexts } from './index.js';
import type { Diagnostic } from './index.js';

/** 1-based line/col of `token` on line `line` of `text`. */
function pos(text: string, line: number, token: string): { line: number; col: number } {
  const col = text.split('\n')[line - 1].indexOf(token);
  assert.ok(col >= 0, `token ${token} not on line ${line}`);
  return { line, col: col + 1 };
}
const brief = (ds: Diagnostic[]) => ds.map((d) => ({ code: d.code, line: d.line, col: d.col }));

const FIVE = [
  'version: 1',
  'scst:',
  '  clusterName: pair',
  '  clusterName: pair2',
  '  devices:',
  '    d1: { handler: vdisk_nullio, blocksize: big }',
  '    d2: { handler: vdisk_nullio, colour: red }',
  '  targets:',
  '    qla2x00t:',
  '      "21:00:00:24:FF:00:00:01":',
  '        luns: { 0: d1, 1: nosuch }',
  '',
].join('\n');

test('five different mistakes give five located diagnostics in one run', () => {
  const r = loadDesiredTexts([{ file: 'five.yaml', text: FIVE }]);
  assert.equal(r.ok, false);
  assert.deepEqual(brief(r.diagnostics), [
    { code: 'DUPLICATE_KEY', ...pos(FIVE, 4, 'clusterName') },
    { code: 'SCHEMA_TYPE', ...pos(FIVE, 6, 'big') },
    { code: 'SCHEMA_UNKNOWN_KEY', ...pos(FIVE, 7, 'colour') },
    { code: 'WWPN_CASE', ...pos(FIVE, 10, '"21') },
    { code: 'UNKNOWN_DEVICE', ...pos(FIVE, 11, 'nosuch') },
  ]);
  const paths = r.diagnostics.map((d) => d.path);
  assert.deepEqual(paths, ['scst.clusterName', 'scst.devices.d1.blocksize', 'scst.devices.d2.colour', 'scst.targets.qla2x00t.21:00:00:24:FF:00:00:01', 'scst.targets.qla2x00t.21:00:00:24:FF:00:00:01.luns.1']);
  assert.ok(r.diagnostics.every((d) => d.file === 'five.yaml' && d.severity === 'error' && d.message.length > 0));
  const wwpn = r.diagnostics.find((d) => d.code === 'WWPN_CASE');
  assert.match(wwpn?.hint ?? '', /21:00:00:24:ff:00:00:01/);
});

test('YAML syntax errors are located and stop before the schema', () => {
  const text = 'version: 1\nscst:\n  devices: [a,\n';
  const r = loadDesiredTexts([{ file: 'bad.yaml', text }]);
  assert.equal(r.ok, false);
  assert.ok(r.diagnostics.length >= 1);
  assert.ok(r.diagnostics.every((d) => d.code === 'YAML_SYNTAX' && d.line >= 3));
});

test('a valid file gives a normalized model and a source index', () => {
  const text = 'version: 1\nscst:\n  setupId: "0x10"\n  devices:\n    n0: { handler: vdisk_nullio, size: 1M }\n';
  const r = loadDesiredTexts([{ file: 'ok.yaml', text }]);
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  assert.equal(r.model.scst?.setupId, 16);
  assert.equal(r.model.scst?.devices?.n0.size, 1024 * 1024);
  assert.deepEqual(r.sources.lookup(['scst', 'devices', 'n0']), { file: 'ok.yaml', line: 5, col: 5, path: 'scst.devices.n0' });
  assert.equal(r.sources.lookup(['scst', 'devices', 'n0', 'nosuch'])?.line, 5, 'falls back to the nearest ancestor');
});

test('missing version and a non-mapping root are reported', () => {
  assert.deepEqual(brief(loadDesiredTexts([{ file: 'a.yaml', text: 'scst: {}\n' }]).diagnostics).map((d) => d.code), ['SCHEMA_REQUIRED']);
  assert.deepEqual(loadDesiredTexts([{ file: 'a.yaml', text: '- 1\n' }]).diagnostics.map((d) => d.code).includes('SCHEMA_TYPE'), true);
  assert.equal(loadDesiredTexts([]).ok, false);
});

test('files merge section by section; an object defined twice names both places', () => {
  const a = 'version: 1\nscst:\n  devices:\n    d1: { handler: vdisk_nullio }\nalerts: [{ type: log }]\n';
  const b = 'version: 1\nscst:\n  devices:\n    d2: { handler: vdisk_nullio }\n    d1: { handler: vdisk_nullio }\nalerts:\n  - { type: bogus }\n';
  const r = loadDesiredTexts([{ file: 'a.yaml', text: a }, { file: 'b.yaml', text: b }]);
  assert.equal(r.ok, false);
  const dup = r.diagnostics.find((d) => d.code === 'DUPLICATE_OBJECT');
  assert.deepEqual({ file: dup?.file, line: dup?.line, col: dup?.col, path: dup?.path }, { file: 'b.yaml', line: 5, col: 5, path: 'scst.devices.d1' });
  assert.match(dup?.message ?? '', /a\.yaml:4:5/);
  const bogus = r.diagnostics.find((d) => d.code === 'SCHEMA_ENUM');
  assert.deepEqual({ file: bogus?.file, line: bogus?.line, path: bogus?.path }, { file: 'b.yaml', line: 7, path: 'alerts[1].type' }, 'list items appended after the first file keep their own positions');
  const fixed = loadDesiredTexts([{ file: 'a.yaml', text: a }, { file: 'b.yaml', text: b.replace('    d1: { handler: vdisk_nullio }\n', '').replace('bogus', 'log') }]);
  assert.ok(fixed.ok);
  assert.deepEqual(Object.keys(fixed.model.scst?.devices ?? {}), ['d1', 'd2']);
  assert.equal(fixed.model.alerts?.length, 2);
  assert.equal(fixed.sources.lookup(['scst', 'devices', 'd2'])?.file, 'b.yaml');
});

test('loadDesired reads a file or a directory tree of YAML files, and reports missing paths', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sanform-load-'));
  try {
    await mkdir(join(dir, 'scst'));
    await writeFile(join(dir, 'base.yaml'), 'version: 1\n');
    await writeFile(join(dir, 'scst', 'devices.yml'), 'scst:\n  devices:\n    d1: { handler: vdisk_nullio }\n');
    await writeFile(join(dir, 'notes.txt'), 'not yaml');
    await mkdir(join(dir, '.git'));
    await writeFile(join(dir, '.git', 'x.yaml'), 'garbage: [');
    const r = await loadDesired(dir);
    assert.ok(r.ok, JSON.stringify(r.diagnostics));
    assert.deepEqual(r.files, [join(dir, 'base.yaml'), join(dir, 'scst', 'devices.yml')]);
    const one = await loadDesired(join(dir, 'base.yaml'));
    assert.ok(one.ok);
    const missing = await loadDesired(join(dir, 'nope.yaml'));
    assert.deepEqual(missing.diagnostics.map((d) => d.code), ['FILE_NOT_FOUND']);
    await rm(join(dir, 'base.yaml'));
    await rm(join(dir, 'scst'), { recursive: true });
    assert.deepEqual((await loadDesired(dir)).diagnostics.map((d) => d.code), ['NO_CONFIG_FILES']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('requireModel raises one coded error per condition', async () => {
  const { requireModel } = await import('./index.js');
  const codeOf = (r: Parameters<typeof requireModel>[0]): string => {
    try {
      requireModel(r);
      return 'none';
    } catch (e) {
      return (e as { code: string }).code;
    }
  };
  assert.equal(codeOf(await loadDesired('/nonexistent/sanform.yaml')), 'FILE_NOT_FOUND');
  assert.equal(codeOf(loadDesiredTexts([])), 'NO_CONFIG_FILES');
  const bad = loadDesiredTexts([{ file: 'a.yaml', text: 'version: 2\n' }]);
  assert.equal(codeOf(bad), 'CONFIG_INVALID');
  try {
    requireModel(bad);
  } catch (e) {
    assert.deepEqual((e as { data: { diagnostics: Diagnostic[] } }).data.diagnostics.map((d) => d.code), ['SCHEMA_ENUM']);
  }
  assert.equal(codeOf(loadDesiredTexts([{ file: 'a.yaml', text: 'version: 1\n' }])), 'none');
});
