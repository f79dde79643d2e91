import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { SourceText } from '../../reconciler/load/index.js';
import { buildLive } from '../../test/golden/harness.js';
import { importLive, writeSecrets } from './import.js';
import { emuHost } from './testing/emu-host.js';
import { applyDirect, planYaml } from './testing/loop.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
let tmp = '';
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sanform-import-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const changesOf = (p: { changes: { action: string; address: string }[]; blocked: { address: string }[] }): string[] => [
  ...p.changes.map((c) => `${c.action} ${c.address}`),
  ...p.blocked.map((b) => `blocked ${b.address}`),
];

/** imports what is live, writes the secrets, and plans the imported YAML against the same host. */
async function importThenPlan(host: ReturnType<typeof emuHost>, dir: string): Promise<string[]> {
  const r = await importLive(host, { secretsDir: join(dir, 'secrets'), node: 'esos-sim' });
  await writeSecrets(r.secrets);
  return changesOf(await planYaml({ host, yaml: r.yaml, node: 'esos-sim' }));
}

const goldenDir = join(repo, 'test/golden');
for (const name of (await readdir(goldenDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
  test(`import of the live state of golden case ${name} plans no change`, async () => {
    const live = await readFile(join(goldenDir, name, 'live.txt'), 'utf8');
    assert.deepEqual(await importThenPlan(emuHost(buildLive(live)), join(tmp, name)), []);
  });
}

test('imported secrets are files with mode 0600 referenced by absolute path', async () => {
  const live = await readFile(join(goldenDir, '02-no-changes', 'live.txt'), 'utf8');
  const r = await importLive(emuHost(buildLive(live)), { secretsDir: join(tmp, 's2'), node: 'n' });
  await writeSecrets(r.secrets);
  assert.equal(r.secrets.length, 1);
  assert.equal((await stat(r.secrets[0].file)).mode & 0o777, 0o600);
  assert.equal((await readFile(r.secrets[0].file, 'utf8')).trim(), 'oldsecret-123456');
  assert.ok(!r.yaml.includes('oldsecret-123456'));
  assert.ok(!r.yaml.includes('#'), 'no comments');
});

/** an example file, or every YAML file of an example directory. */
async function exampleTexts(path: string): Promise<SourceText[]> {
  if (!(await stat(path)).isDirectory()) return [{ file: path, text: await readFile(path, 'utf8') }];
  const files = (await readdir(path)).filter((f) => /\.ya?ml$/.test(f)).sort();
  return Promise.all(files.map(async (f) => ({ file: join(path, f), text: await readFile(join(path, f), 'utf8') })));
}

const examples = (await readdir(join(repo, 'examples')).catch(() => [] as string[])).filter((f) => !f.endsWith('.md')).sort();
for (const ex of examples) {
  test(`example ${ex}: applied to the emulator, then imported, plans no change`, async () => {
    // the examples' secrets live on an appliance (/etc/sanform/secrets, the environment): here
    // every one is read from one variable, so the plan is made against readable secrets
    const texts = (await exampleTexts(join(repo, 'examples', ex))).map((t) => ({ ...t, text: t.text.replace(/\{ (file|env): [^}]+ \}/g, '{ env: SANFORM_TEST_SECRET }') }));
    const nodes = texts.flatMap((t) => Object.keys((parse(t.text) as { nodes?: object } | null)?.nodes ?? {}));
    const node = nodes[0] ?? 'esos-sim';
    const host = emuHost();
    // the storage layers under SCST are not applied here: every backing path opens as a disk
    host.emu.probe = (p) => ({ kind: p.startsWith('/dev/') ? 'block' : 'file', size: 2 ** 40 });
    const first = await planYaml({ host, yaml: texts, node, env: { SANFORM_TEST_SECRET: 'example-secret-0123456789' } });
    await applyDirect(host, first, async (n) => `example-secret-${n}-0123456789`);
    const r = await importLive(host, { secretsDir: join(tmp, ex, 'secrets'), node });
    await writeSecrets(r.secrets);
    assert.deepEqual(changesOf(await planYaml({ host, yaml: r.yaml, node })), []);
  });
}

test('a live NPIV target is imported with its parent port (read from its host link), and the plan after the import is empty', async () => {
  const host = emuHost();
  const yaml = [
    'version: 1',
    'scst:',
    '  targets:',
    '    qla2x00t:',
    '      "21:00:00:24:ff:00:10:01":',
    '        npiv: { nodeName: "20:00:00:24:ff:00:10:01", parentHost: "21:00:00:24:ff:00:00:02" }',
    '        enabled: true',
    '',
  ].join('\n');
  await applyDirect(host, await planYaml({ host, yaml }));
  // what the kernel shows: no parent_host file (compiled out in scst_qla2xxx.c), a host link into
  // the parent's vport directory, hw_target 0
  const dir = 'targets/qla2x00t/21:00:00:24:ff:00:10:01';
  assert.ok(!host.emu.readdir(dir).includes('parent_host'));
  assert.equal(host.emu.read(`${dir}/hw_target`), '0\n');
  const r = await importLive(host, { secretsDir: join(tmp, 'npiv', 'secrets'), node: 'esos-sim' });
  const t = (parse(r.yaml) as { scst: { targets: { qla2x00t: Record<string, { npiv?: unknown }> } } }).scst.targets.qla2x00t['21:00:00:24:ff:00:10:01'];
  assert.deepEqual(t.npiv, { nodeName: '20:00:00:24:ff:00:10:01', parentHost: '21:00:00:24:ff:00:00:02' });
  assert.deepEqual(changesOf(await planYaml({ host, yaml: r.yaml })), []);
});
