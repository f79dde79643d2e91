import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plan } from '../../reconciler/plan/index.js';
import { parsePlan, renderCommands, renderJson, renderMarkdown, renderText } from '../../reconciler/render/index.js';
import { writeCommand } from '../../reconciler/render/commands.js';
import type { Resource } from '../../reconciler/core/resource.js';
import { toyDriver, toyResources as R } from './toy-driver.js';
import { snap } from './fixtures.js';

const kinds = ['toy.disk', 'toy.lun', 'toy.user'];
const mk = (want: Resource[], live: Resource[], allow: string[] = []) =>
  plan({ desired: snap(want), observed: snap(live), drivers: [toyDriver], managedKinds: kinds, allow });

const live = [R.disk('a', { size: 1, label: 'old' }), R.disk('b', { size: 1 }), R.lun('1', 'b', ['iqn.esx1', 'iqn.esx2']), R.disk('gone', { size: 1 })];
const want = [
  R.disk('a', { size: 1, label: 'new' }),
  R.disk('b', { size: 2 }),
  R.lun('1', 'b'),
  R.disk('c', { size: 4 }),
  { ...R.user('chap', 'fp'), meta: { secretName: 'chap-esx' } } as Resource,
];

test('text: symbols, badges, field lines, blocked section and the summary line', () => {
  const p = mk(want, live, ['toy/disk/b']);
  const t = renderText(p);
  assert.match(t, /^ {2}\+ toy\/disk\/c$/m);
  assert.match(t, /^ {2}~ toy\/disk\/a$/m);
  assert.match(t, /^ {6}label: "old" -> "new"$/m);
  assert.match(t, /^-\/\+ toy\/disk\/b \[DATA-LOSS\] {2}# size cannot change in place$/m);
  assert.match(t, /^ {2}\+ toy\/lun\/1 {2}# re-created because toy\/disk\/b is re-created$/m);
  assert.match(t, /Blocked/);
  assert.match(t, /^ {2}- toy\/disk\/gone \[DATA-LOSS\]/m);
  assert.match(t, /hint: --allow toy\/disk\/gone/);
  assert.match(t, /^Plan: 3 to add, 1 to change, 1 to replace, 0 to destroy; 1 blocked\.$/m);
  assert.doesNotMatch(t, /\u001b\[/);
  assert.match(renderText(p, { color: true }), /\u001b\[/);
});

test('text: sessions are counted and named', () => {
  const p = mk([R.disk('b', { size: 1 })], [R.disk('b', { size: 1 }), R.lun('1', 'b', ['iqn.esx1', 'iqn.esx2'])], ['toy/lun/1']);
  const t = renderText(p);
  assert.match(t, /\[IO-DISRUPT\] \[SESSION\]/);
  assert.match(t, /sessions: iqn\.esx1, iqn\.esx2/);
  assert.match(t, /2 sessions affected\.$/m);
});

test('text: an empty plan says so', () => {
  assert.equal(renderText(mk(live, live)), 'No changes. The live system matches the desired state.\n');
});

test('commands: exact writes with secrets masked by fingerprint', () => {
  const p = mk(want, live, ['toy/disk/b', 'toy/disk/gone']);
  const c = renderCommands(p, { fingerprint: (n) => (n === 'chap-esx' ? 'hmac:ab12cd34ef567890ab12cd34ef567890' : undefined) });
  assert.match(c, /^printf '%s' 'add_disk c size=4' > \/sys\/kernel\/scst_tgt\/toy\/disks\/mgmt$/m);
  assert.match(c, /^printf '%s' new > \/sys\/kernel\/scst_tgt\/toy\/disks\/a\/label$/m);
  assert.match(c, /^printf '%s' '<secret chap-esx fp=ab12cd34ef56>' > \/sys\/kernel\/scst_tgt\/toy\/users\/chap\/secret$/m);
  assert.doesNotMatch(c, /\{\{secret/);
});

test('commands: run by sh, each printed line writes exactly the bytes the host would', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-printf-'));
  try {
    const file = join(dir, 'attr');
    for (const v of ['-n', '-e', '', 'plain', 'two words', "it's", '$(id) `id` ${HOME} *', 'a\\nb', '%s %d', '\n', 'ünïcödé ☃', 'x\n']) {
      const line = writeCommand(v, file);
      const r = spawnSync('sh', ['-c', line]);
      assert.equal(r.status, 0, line);
      assert.equal(readFileSync(file, 'utf8'), v, line);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('JSON: byte-stable, round-trips, ignores unknown fields, refuses another major version', () => {
  const p = mk(want, live, ['toy/disk/b']);
  const j = renderJson(p);
  assert.equal(renderJson(parsePlan(j)), j);
  const extra = JSON.stringify({ ...JSON.parse(j), futureField: 1 });
  assert.equal(parsePlan(extra).observedHash, p.observedHash);
  assert.throws(() => parsePlan(JSON.stringify({ ...JSON.parse(j), formatVersion: 2 })), { code: 'PLAN_FORMAT' });
  assert.throws(() => parsePlan('nope'), { code: 'PLAN_FORMAT' });
});

test('markdown: summary table, change rows, blocked list, details', () => {
  const m = renderMarkdown(mk(want, live, ['toy/disk/b']));
  assert.match(m, /\| 3 \| 1 \| 1 \| 0 \| 1 \| 0 \|/);
  assert.match(m, /\| `-\/\+` \| `toy\/disk\/b` \| replace \| \[DATA-LOSS\] \|/);
  assert.match(m, /label: "old" -> "new"/);
  assert.match(m, /Blocked/);
});
