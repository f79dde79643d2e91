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

const full = fileURLToPath(new URL('../../../test/fixtures/scst-conf/full.conf', import.meta.url));
let tmp = '';
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sanform-conf-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

test('comments: whole line, and an unescaped # eats the character before it', () => {
  assert.equal(stripComment('# all of it'), '');
  assert.equal(stripComment('  # indented too'), '');
  assert.equal(stripComment('enabled 1 # note'), 'enabled 1');
  assert.equal(stripComment('value#x'), 'valu');
  assert.equal(stripComment('a\\#b'), 'a\\#b');
});

test('tokens: escapes, quotes, 1/2/3-token lines, extra tokens dropped', () => {
  const e = parseConf('HW_TARGET\nkey va\\ lue\nLUN 0 dev extra more\nIncomingUser "joe 12 chars \\"q\\""\nx a\\{b');
  assert.deepEqual(e.map((x) => x.tokens), [['HW_TARGET'], ['key', 'va lue'], ['LUN', '0', 'dev'], ['IncomingUser', 'joe 12 chars "q"'], ['x', 'a{b']]);
});

test('sections nest; errors carry SCST_CONF_SYNTAX with the line', () => {
  const e = parseConf('A x {\n  B y {\n    c 1\n  }\n}\n');
  assert.deepEqual(e[0].children?.[0].children?.[0].tokens, ['c', '1']);
  for (const bad of ['A {\n', '}\n', 'k "open\n', '[HANDLER vdisk]\n']) {
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
  const secrets = createSecretResolver({ secrets: model.secrets, configDir: tmp });
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
  const secrets = createSecretResolver({ secrets: r.model.secrets, configDir: tmp });
  await secrets.preload();
  const conf = await exportConf(r.model, { node: 'esos-sim', secrets });
  for (const s of r.secrets) assert.ok(!conf.includes(s.value), s.name);
  assert.match(conf, /# IncomingUser "dbhost <secret chap-dbhost: export with --include-secrets>"/);
});
