import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { SanformModel } from '../../../schema/model.js';
import { createSecretResolver } from '../../../reconciler/secrets.js';
import { desired } from '../desired.js';
import { exportConf } from '../export.js';
import { importConf, importLive, writeSecrets } from '../import.js';
import { emuHost } from '../testing/emu-host.js';
import { applyDirect, planYaml } from '../testing/loop.js';
import { parseConf, stripComment } from './parse.js';
import { confValue } from './write.js';
import { canonicalUnknown } from '../values.js';

const full = fileURLToPath(new URL('../../../test/fixtures/scst-conf/full.conf', import.meta.url));
let tmp = '';
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sanform-conf-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

test('comments: whole line, and a # not after a backslash eats the character before it (as scstadmin)', () => {
  assert.equal(stripComment('# all of it'), '');
  assert.equal(stripComment('  # indented too').trim(), '');
  assert.equal(stripComment('enabled 1 # note'), 'enabled 1');
  assert.equal(stripComment('value#x'), 'valu');
  assert.equal(stripComment('a\\#b'), 'a\\#b');
  assert.equal(stripComment('a\\\\#b'), 'a\\\\#b', 'only the one character before # is looked at');
});

test('tokens as scstadmin reads them: escapes gone first, quotes only at a token start, 3 tokens kept', () => {
  const e = parseConf('HW_TARGET\nkey va\\ lue\nLUN 0 dev extra more\nIncomingUser "joe 12 chars"\nx a\\#b\nq a"b c"');
  assert.deepEqual(e.map((x) => x.tokens), [['HW_TARGET'], ['key', 'va', 'lue'], ['LUN', '0', 'dev'], ['IncomingUser', 'joe 12 chars'], ['x', 'a#b'], ['q', 'a"b', 'c"']]);
  // an escaped brace is a brace to scstadmin: here it opens a section that never closes
  assert.throws(() => parseConf('x a\\{b\n'), { code: 'SCST_CONF_SYNTAX' });
});

test('what scstadmin would silently lose is an error at its line: text before } on one line, a brace inside quotes', () => {
  const at = (text: string, line: number, re: RegExp) =>
    assert.throws(() => parseConf(text), (err: { code?: string; data?: { line: number }; message: string }) => err.code === 'SCST_CONF_SYNTAX' && err.data?.line === line && re.test(err.message), text);
  at('TARGET t {\n  LUN 2 d { read_only 1 }\n}\n', 2, /read_only 1' stands before '}'/);
  at('x 1\ncomment "a {b}"\n', 2, /unterminated double quote/);
});

test('sections nest; errors carry SCST_CONF_SYNTAX with the line', () => {
  const e = parseConf('A x {\n  B y {\n    c 1\n  }\n}\n');
  assert.deepEqual(e[0].children?.[0].children?.[0].tokens, ['c', '1']);
  for (const bad of ['A {\n', '}\n', 'k "open\n', '[HANDLER vdisk]\n', 'A { b 1 }\n']) {
    assert.throws(() => parseConf(bad), (err: { code?: string }) => err.code === 'SCST_CONF_SYNTAX', bad);
  }
});

test('an ALUA block with a line in it is refused at file:line (SCST has no device_groups/ attributes)', () => {
  assert.doesNotThrow(() => importConf('ALUA {\n}\n', { secretsDir: tmp, node: 'n' }));
  assert.throws(
    () => importConf('setup_id 0x1\nALUA {\n  foo 1\n}\n', { secretsDir: tmp, node: 'n', file: 'etc/x.conf' }),
    (err: { code?: string; data?: { line?: number }; message: string }) => err.code === 'SCST_CONF_SYNTAX' && err.data?.line === 3 && err.message.startsWith('etc/x.conf:3:'),
  );
});

test('what scstadmin would read otherwise is refused at its line: twice-defined sections, LUNs and attributes, multi-word values, bare words, handler attributes', () => {
  const at = (text: string, line: number) =>
    assert.throws(() => importConf(text, { secretsDir: tmp, node: 'n' }), (err: { code?: string; data?: { line: number } }) => err.code === 'SCST_CONF_SYNTAX' && err.data?.line === line, text);
  at('HANDLER vdisk_nullio {\n  DEVICE a\n}\nHANDLER vdisk_nullio {\n  DEVICE b\n}\n', 4);
  at('HANDLER vdisk_nullio {\n  DEVICE a\n  DEVICE b\n}\nTARGET_DRIVER iscsi {\n  TARGET t {\n    LUN 0 a\n    LUN 0 b\n  }\n}\n', 8);
  at('setup_id 0x1\nsetup_id 0x2\n', 2);
  at('TARGET_DRIVER iscsi {\n  TARGET t {\n    HeaderDigest CRC32C, None\n  }\n}\n', 3);
  at('TARGET_DRIVER iscsi {\n  TARGET t {\n    comment\n  }\n}\n', 3);
  at('HANDLER vdisk_fileio {\n  trace_level "add scsi"\n}\n', 2);
  // repeated values of a multi-valued attribute are fine
  assert.doesNotThrow(() => importConf('TARGET_DRIVER iscsi {\n  TARGET t {\n    allowed_portal 10.0.0.1\n    allowed_portal 10.0.0.2\n  }\n}\n', { secretsDir: tmp, node: 'n' }));
});

test('a target-group member is local when the file declares that target, braces or not; remote otherwise; states are kept', () => {
  const text = [
    'HANDLER vdisk_nullio {', '  DEVICE d', '}',
    'TARGET_DRIVER iscsi {', '  TARGET iqn.2026-01.x:local {', '    rel_tgt_id 1', '    LUN 0 d', '  }', '}',
    'DEVICE_GROUP dg {', '  DEVICE d',
    '  TARGET_GROUP a {', '    group_id 1', '    state active', '    TARGET iqn.2026-01.x:local {', '      rel_tgt_id 1', '    }', '  }',
    '  TARGET_GROUP b {', '    group_id 2', '    TARGET iqn.2026-01.x:peer', '  }',
    '}', '',
  ].join('\n');
  const tgs = parse(importConf(text, { secretsDir: tmp, node: 'n' }).yaml).scst.alua.deviceGroups.dg.targetGroups;
  assert.equal(tgs.a.node, undefined, 'the local group names no peer node');
  assert.equal(tgs.a.state, 'active', 'an ALUA state is a role: kept even at its default');
  assert.deepEqual(tgs.a.targets, ['iqn.2026-01.x:local']);
  assert.equal(tgs.b.node, 'peer');
});

test('export: only \\ and # are escaped, as scstadmin writes; a value with a brace or a quote is refused; zero-padded numbers stay text', () => {
  assert.equal(confValue('a#b'), 'a\\#b');
  assert.equal(confValue('two words'), '"two words"');
  for (const bad of ['a{b}', 'say "hi"']) assert.throws(() => confValue(bad), { code: 'SCST_CONF_UNWRITABLE' });
  assert.equal(canonicalUnknown('000123'), '000123');
  assert.equal(canonicalUnknown('123'), 123);
  assert.equal(canonicalUnknown('123456789012345678901'), '123456789012345678901');
});

test('full.conf: import, apply to a fresh emulator, then the plan is empty and a live import gives the same model', async () => {
  const text = await readFile(full, 'utf8');
  const r = importConf(text, { secretsDir: join(tmp, 'full'), node: 'esos-sim' });
  await writeSecrets(r.secrets);
  const host = emuHost();
  const first = await planYaml({ host, yaml: r.yaml, node: 'esos-sim' });
  assert.ok(first.changes.length > 20 && first.blocked.length === 0);
  const values = new Map(r.secrets.map((s) => [s.name, s.value]));
  await applyDirect(host, first, async (n) => values.get(n)!);
  const again = await planYaml({ host, yaml: r.yaml, node: 'esos-sim' });
  assert.deepEqual(again.changes.map((c) => `${c.action} ${c.address}`), []);
  const live = await importLive(host, { secretsDir: join(tmp, 'full'), node: 'esos-sim' });
  assert.deepEqual(parse(live.yaml), parse(r.yaml));
});

test('export then import round-trips the model (secrets included on request)', async () => {
  const r = importConf(await readFile(full, 'utf8'), { secretsDir: join(tmp, 'rt'), node: 'esos-sim' });
  await writeSecrets(r.secrets);
  const model = r.model;
  const secrets = createSecretResolver({ secrets: model.secrets, env: { SANFORM_SECRETS_DIR: tmp } });
  await secrets.preload();
  const conf = await exportConf(model, { node: 'esos-sim', secrets, includeSecrets: true });
  const back = importConf(conf, { secretsDir: join(tmp, 'rt'), node: 'esos-sim' });
  assert.deepEqual(back.model, model);
  const expand = (m: SanformModel) => desired(m, { node: 'esos-sim', secrets });
  assert.deepEqual(expand(back.model), expand(model));
});

test('export without --include-secrets writes no secret value', async () => {
  const r = importConf(await readFile(full, 'utf8'), { secretsDir: join(tmp, 'ns'), node: 'esos-sim' });
  await writeSecrets(r.secrets);
  const secrets = createSecretResolver({ secrets: r.model.secrets, env: { SANFORM_SECRETS_DIR: tmp } });
  await secrets.preload();
  const conf = await exportConf(r.model, { node: 'esos-sim', secrets });
  for (const s of r.secrets) assert.ok(!conf.includes(s.value), s.name);
  assert.match(conf, /# IncomingUser "dbhost <secret chap-dbhost: export with --include-secrets>"/);
});
