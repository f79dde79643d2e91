/**
 * What a new user reaches for first: `sanform version`, "did you mean" for a mistyped command,
 * `apply --json` (the outcome as JSON), `sanform show PLANFILE`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defaultHardware, initSimDir } from '../../drivers/sim/index.js';
import { ADDON_PATH } from '../../native/addon.js';
import { runCli } from './cli-run.js';

describe('sanform version', () => {
  it('prints sanform, node and the native helper; --json has the same', async () => {
    const r = await runCli(process.cwd(), ['version']);
    assert.equal(r.code, 0, r.err);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.match(r.out, new RegExp(`^sanform ${pkg.version.replaceAll('.', '\\.')}$`, 'm'));
    assert.match(r.out, new RegExp(`^node ${process.version.replaceAll('.', '\\.')}$`, 'm'));
    const built = existsSync(ADDON_PATH) && process.env.SANFORM_NATIVE !== '0';
    assert.match(r.out, built ? /^native sysfs helper: loaded$/m : /^native sysfs helper: missing: JavaScript fallback/m);
    const j = await runCli(process.cwd(), ['version', '--json']);
    const v = JSON.parse(j.out) as { sanform: string; node: string; nativeHelper: { loaded: boolean; reason?: string } };
    assert.deepEqual([v.sanform, v.node, v.nativeHelper.loaded], [pkg.version, process.version, built]);
  });

  it('SANFORM_NATIVE=0: "missing: JavaScript fallback" with the reason', async () => {
    const old = process.env.SANFORM_NATIVE;
    process.env.SANFORM_NATIVE = '0';
    try {
      const r = await runCli(process.cwd(), ['version']);
      assert.match(r.out, /^native sysfs helper: missing: JavaScript fallback \(SANFORM_NATIVE=0\)$/m);
    } finally {
      if (old === undefined) delete process.env.SANFORM_NATIVE;
      else process.env.SANFORM_NATIVE = old;
    }
  });
});

describe('a mistyped command', () => {
  it('names the closest command; a word close to none gets the list hint only', async () => {
    for (const [typed, meant] of [['pln', 'plan'], ['aply', 'apply'], ['verison', 'version'], ['shwo', 'show'], ['valdate', 'validate']]) {
      const r = await runCli(process.cwd(), [typed!, '-c', 'x.yaml']);
      assert.equal(r.code, 1);
      assert.match(r.err, new RegExp(`unknown command '${typed}'\\. Did you mean 'sanform ${meant}'\\?`));
    }
    const far = await runCli(process.cwd(), ['xyzzy']);
    assert.equal(far.code, 1);
    assert.doesNotMatch(far.err, /Did you mean/);
    assert.match(far.err, /sanform --help/);
    const help = await runCli(process.cwd(), ['help', 'pln']);
    assert.match(help.err, /Did you mean 'sanform plan'/);
  });
});

describe('apply --json and show PLANFILE', () => {
  let dir: string;
  const host = ['--host', 'sim:sim'];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sanform-newcomer-'));
    await initSimDir(join(dir, 'sim'), defaultHardware());
    writeFileSync(join(dir, 'chap'), 'newcomer-secret-1\n', { mode: 0o600 });
    writeFileSync(
      join(dir, 'sanform.yaml'),
      [
        'version: 1',
        `secrets: { chap: { file: ${join(dir, 'chap')} } }`,
        'scst:',
        '  devices:',
        '    d0: { handler: vdisk_nullio }',
        `    f0: { handler: vdisk_fileio, filename: ${join(dir, 'missing.img')} }`,
        '  targets:',
        '    iscsi:',
        '      iqn.2026-01.com.example:t1:',
        '        auth: { incoming: [{ user: esx, secret: chap }] }',
        '        luns: { 0: d0, 1: f0 }',
        '',
      ].join('\n'),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('show renders a saved plan as plan printed it, and as the same JSON', async () => {
    const p = await runCli(dir, ['plan', ...host, '--out', 'p.json']);
    assert.equal(p.code, 0, p.err);
    const s = await runCli(dir, ['show', 'p.json']);
    assert.equal(s.code, 0, s.err);
    assert.equal(s.out, p.out);
    const j = await runCli(dir, ['show', 'p.json', '--json']);
    assert.equal(j.out, readFileSync(join(dir, 'p.json'), 'utf8'));
    const c = await runCli(dir, ['show', 'p.json', '--commands']);
    assert.match(c.out, /IncomingUser esx <secret chap>/);
    assert.doesNotMatch(c.out + j.out, /newcomer-secret-1/);
    const m = await runCli(dir, ['show', 'p.json', '--markdown']);
    assert.match(m.out, /scst\/device\/d0/);
  });

  it('show: a missing file, a YAML file, no file and conflicting views are located errors', async () => {
    const missing = await runCli(dir, ['show', 'nope.json']);
    assert.deepEqual([missing.code, /error PLAN_FILE_NOT_FOUND/.test(missing.err)], [1, true]);
    const yaml = await runCli(dir, ['show', 'sanform.yaml']);
    assert.deepEqual([yaml.code, /error PLAN_FORMAT/.test(yaml.err)], [1, true]);
    const none = await runCli(dir, ['show']);
    assert.deepEqual([none.code, /error USAGE/.test(none.err)], [1, true]);
    const both = await runCli(dir, ['show', 'p.json', '--json', '--markdown']);
    assert.deepEqual([both.code, /error USAGE: --json and --markdown conflict/.test(both.err)], [1, true]);
  });

  it('apply --json: refused without approval, then the outcome with the failure, then nothing to do', async () => {
    const refused = await runCli(dir, ['apply', ...host, '--json']);
    assert.equal(refused.code, 1);
    const r0 = JSON.parse(refused.out) as { outcome: string; ok: boolean; executed: unknown[] };
    assert.deepEqual([r0.outcome, r0.ok, r0.executed.length], ['not-approved', false, 0]);
    assert.match(refused.err, /Plan: /, 'the text plan goes to stderr');

    const a = await runCli(dir, ['apply', ...host, '--json', '--auto-approve']);
    assert.equal(a.code, 1, 'the fileio device cannot open its file');
    type Out = {
      formatVersion: number; ok: boolean; outcome: string;
      counts: { applied: number; failed: number; skipped: number; blocked: number };
      results: { address: string; status: string; error?: { errno?: string }; skippedBecause?: string }[];
      executed: { command: string; ok: boolean }[];
      plan: { changes: { address: string }[] };
    };
    const o = JSON.parse(a.out) as Out;
    assert.equal(o.formatVersion, 1);
    assert.deepEqual([o.outcome, o.ok], ['applied', false]);
    const failed = o.results.find((x) => x.status === 'failed');
    assert.deepEqual([failed?.address, failed?.error?.errno], ['scst/device/f0', 'ENOENT']);
    assert.ok(o.results.some((x) => x.status === 'skipped' && x.skippedBecause === 'scst/device/f0'));
    assert.equal(o.counts.applied + o.counts.failed + o.counts.skipped, o.plan.changes.length);
    assert.equal(o.counts.applied, o.results.filter((x) => x.status === 'applied').length);
    assert.ok(o.executed.some((e) => /IncomingUser esx <secret chap fp=[0-9a-f]{12}>/.test(e.command)));
    assert.doesNotMatch(a.out, /newcomer-secret-1/);
    assert.doesNotMatch(a.out, /^Apply /m, 'stdout is only the JSON');

    writeFileSync(join(dir, 'missing.img'), Buffer.alloc(1 << 20));
    const fixed = JSON.parse((await runCli(dir, ['apply', ...host, '--json', '--auto-approve'])).out) as Out;
    assert.deepEqual([fixed.outcome, fixed.ok, fixed.counts.failed, fixed.counts.skipped], ['applied', true, 0, 0]);
    const again = await runCli(dir, ['apply', ...host, '--json']);
    assert.equal(again.code, 0, again.err);
    assert.deepEqual((({ outcome, ok }) => [outcome, ok])(JSON.parse(again.out) as Out), ['nothing-to-do', true]);
  });

  it('apply --json with --repo is refused (the repository apply writes its own record)', async () => {
    const r = await runCli(dir, ['apply', '--json', '--repo', join(dir, 'repo.git'), '--auto-approve']);
    assert.equal(r.code, 1);
    assert.match(r.err, /error USAGE: --json and --repo conflict/);
  });
});

describe('an example on a fresh emulated machine', () => {
  it('a missing secret file gets a hint naming sim files; sim files (or init --files-for) makes it inside the machine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sanform-newcomer-files-'));
    try {
      const secret = '/etc/sanform-newcomer-test/chap';
      const image = '/srv/sanform-newcomer-test/f.img';
      writeFileSync(
        join(dir, 'sanform.yaml'),
        [
          'version: 1',
          `secrets: { chap: { file: ${secret} }, disc: { env: SANFORM_NEWCOMER_DISC } }`,
          'scst:',
          '  devices:',
          `    f0: { handler: vdisk_fileio, filename: ${image} }`,
          '  drivers: { iscsi: { enabled: true, auth: { incoming: [{ user: d, secret: disc }] } } }',
          '  targets:',
          '    iscsi:',
          '      iqn.2026-01.com.example:t1:',
          '        auth: { incoming: [{ user: esx, secret: chap }] }',
          '        luns: { 0: f0 }',
          '',
        ].join('\n'),
      );
      assert.equal((await runCli(dir, ['sim', 'init', 'm'])).code, 0);
      // the machine's secrets directory is where the example's secret lives (issue 9: never elsewhere)
      const env = { SANFORM_NEWCOMER_DISC: 'discovery-secret-1', SANFORM_SECRETS_DIR: dirname(secret) };
      const p = await runCli(dir, ['plan', '--host', 'sim:m'], env);
      assert.equal(p.code, 1);
      assert.match(p.err, new RegExp(`error SECRET_UNAVAILABLE: secret 'chap': cannot read file ${secret}`));
      assert.match(p.err, /^hint: on the emulated machine m .*'sanform sim files m --for sanform\.yaml'/m);

      const f = await runCli(dir, ['sim', 'files', 'm', '--for', 'sanform.yaml']);
      assert.equal(f.code, 0, f.err);
      assert.match(f.out, new RegExp(`secret file  ${secret} \\(m/files${secret}\\)`));
      assert.match(f.out, new RegExp(`backing file ${image} \\(m/files${image}\\)`));
      assert.match(f.out, /secret disc is read from the environment: export SANFORM_NEWCOMER_DISC=/);
      const a = await runCli(dir, ['apply', '--host', 'sim:m', '--auto-approve'], env);
      assert.equal(a.code, 0, a.out + a.err);
      assert.match(a.out, /Apply complete/);
      assert.equal(existsSync(secret) || existsSync(image), false, 'nothing is made outside the machine');

      // the same in one step for a new machine
      const i = await runCli(dir, ['sim', 'init', 'm2', '--files-for', 'sanform.yaml']);
      assert.equal(i.code, 0, i.err);
      assert.ok(existsSync(join(dir, 'm2', 'files', image)));
      const bad = await runCli(dir, ['sim', 'init', 'm3', '--files-for', 'nope.yaml']);
      assert.equal(bad.code, 1);
      assert.equal(existsSync(join(dir, 'm3')), false, 'a file that does not load makes no machine');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
