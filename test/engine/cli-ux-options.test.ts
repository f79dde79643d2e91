/**
 * Option handling of plan and apply found in a new-user walkthrough: conflicting options are
 * USAGE errors naming both; an `--allow` that matches no change is warned about; saved plans are
 * refused for staleness before they are shown, a missing one has a code, and the hint printed by
 * `plan --out` repeats the --host/--node/-c of the run. Checks codes and the options named.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHardware, initSimDir, openSimHost } from '../../drivers/sim/index.js';
import { runCli } from './cli-run.js';

const yaml = ['version: 1', 'scst:', '  devices:', '    d0: { handler: vdisk_nullio }', '    d1: { handler: vdisk_nullio, prodId: ABC }', ''].join('\n');
const host = ['--host', 'sim:sim'];

async function world(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-ux-'));
  await initSimDir(join(dir, 'sim'), defaultHardware());
  writeFileSync(join(dir, 'sanform.yaml'), yaml);
  return dir;
}

/** A USAGE error on stderr that names every one of `options`. */
function assertUsage(r: { code: number; out: string; err: string }, options: readonly string[]): void {
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.err, /error USAGE:/);
  for (const o of options) assert.ok(r.err.includes(o), `names ${o}: ${r.err}`);
  assert.equal(r.out, '', 'nothing printed on stdout');
}

/** Runs `body` in a fresh world, removed afterwards. */
async function inWorld(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await world();
  try {
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('plan: --json with --markdown, and --host with --observed, are USAGE errors naming both', { timeout: 60_000 }, () =>
  inWorld(async (dir) => {
    assert.equal((await runCli(dir, ['observe', ...host, '--out', 'snap.json'])).code, 0);
    assertUsage(await runCli(dir, ['plan', ...host, '--json', '--markdown']), ['--json', '--markdown']);
    assertUsage(await runCli(dir, ['plan', ...host, '--observed', 'snap.json']), ['--host', '--observed']);
    // either one alone still works
    assert.equal((await runCli(dir, ['plan', '--observed', 'snap.json', '--json'])).code, 0);
    assert.equal((await runCli(dir, ['plan', ...host, '--markdown'])).code, 0);
  }));

test('apply: -c with --repo or --boot, and PLANFILE with --allow or --repo, are USAGE errors naming both', { timeout: 60_000 }, () =>
  inWorld(async (dir) => {
    assertUsage(await runCli(dir, ['apply', '--repo', 'nowhere.git', '-c', 'sanform.yaml', '--auto-approve']), ['--repo', '--config']);
    assertUsage(await runCli(dir, ['apply', '--boot', '--config', 'sanform.yaml']), ['--boot', '--config']);
    assertUsage(await runCli(dir, ['apply', 'p.json', ...host, '--allow', 'scst/device/d1']), ['PLANFILE', '--allow']);
    assertUsage(await runCli(dir, ['apply', 'p.json', '--repo', 'nowhere.git']), ['PLANFILE', '--repo']);
    assertUsage(await runCli(dir, ['apply', 'sanform.yaml', ...host]), ['-c sanform.yaml']);
  }));

test('an --allow that matches no change is warned about on stderr; the command goes on', { timeout: 60_000 }, () =>
  inWorld(async (dir) => {
    const typo = 'scst/device/dl';
    const p = await runCli(dir, ['plan', ...host, '--allow', typo, '--allow', 'scst/device/d1', '--detailed-exitcode']);
    assert.equal(p.code, 2, p.err);
    assert.match(p.err, /warning: --allow scst\/device\/dl matches no change/);
    assert.doesNotMatch(p.err, /--allow scst\/device\/d1 /, 'an --allow that matches a change is not warned about');
    const a = await runCli(dir, ['apply', ...host, '--auto-approve', '--allow', typo]);
    assert.equal(a.code, 0, a.err);
    assert.match(a.err, /warning: --allow scst\/device\/dl matches no change/);
    const quiet = await runCli(dir, ['plan', ...host]);
    assert.doesNotMatch(quiet.err, /warning/);
  }));

test('apply PLANFILE refuses a stale plan before it shows it', { timeout: 60_000 }, () =>
  inWorld(async (dir) => {
    assert.equal((await runCli(dir, ['plan', ...host, '--out', 'p.json'])).code, 0);
    const sim = await openSimHost(join(dir, 'sim'));
    await sim.control.write('/sys/kernel/scst_tgt/handlers/vdisk_nullio/mgmt', 'add_device moved');
    await sim.close?.();
    const stale = await runCli(dir, ['apply', 'p.json', ...host, '--auto-approve']);
    assert.equal(stale.code, 1);
    assert.match(stale.err, /error PLAN_STALE:/);
    assert.equal(stale.out, '', 'the stale plan is not shown');
  }));

test('apply of a missing plan file is PLAN_FILE_NOT_FOUND naming the file', { timeout: 60_000 }, () =>
  inWorld(async (dir) => {
    const missing = await runCli(dir, ['apply', 'nope.json', ...host, '--auto-approve']);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /error PLAN_FILE_NOT_FOUND:.*nope\.json/);
    assert.doesNotMatch(missing.err, /ENOENT/);
  }));

test("plan --out's hint repeats the --host, --node and -c of the run", { timeout: 60_000 }, () =>
  inWorld(async (dir) => {
    const saved = await runCli(dir, ['plan', ...host, '--node', 'esos-a', '--out', 'p.json']);
    assert.equal(saved.code, 0, saved.err);
    assert.match(saved.err, /^ {2}sanform apply p\.json --host sim:sim --node esos-a$/m);
    const withConfig = await runCli(dir, ['plan', '-c', 'sanform.yaml', ...host, '--out', 'my plan.json']);
    assert.match(withConfig.err, /^ {2}sanform apply 'my plan\.json' -c sanform\.yaml --host sim:sim$/m);
    const plain = await runCli(dir, ['plan', ...host, '--out', 'p.json', '--json']);
    assert.equal(plain.code, 0, plain.err);
  }));
