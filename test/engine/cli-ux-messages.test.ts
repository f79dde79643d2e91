/**
 * Messages found confusing in a new-user walkthrough: a bad --log-level, unknown options (quotes,
 * "did you mean"), a desired-state path given without -c, an apply where everything is blocked,
 * a no-change plan against a recorded snapshot, empty values in drift text, the --host forms in
 * the help, and `sim ctl write` with a path relative to /sys/kernel/scst_tgt.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHardware, initSimDir, openSimHost } from '../../drivers/sim/index.js';
import { driftLine } from '../../reconciler/alerts/format.js';
import { runCli } from './cli-run.js';

const host = ['--host', 'sim:sim'];

async function world(yaml = 'version: 1\nscst:\n  devices:\n    d0: { handler: vdisk_nullio, prodId: ABC }\n'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-uxmsg-'));
  await initSimDir(join(dir, 'sim'), defaultHardware());
  writeFileSync(join(dir, 'sanform.yaml'), yaml);
  return dir;
}

const exported = [
  'version: 1',
  'scst:',
  '  devices: { d0: { handler: vdisk_nullio, prodId: ABC } }',
  '  targets: { iscsi: { "iqn.2026-01.com.example:t1": { luns: { 0: d0 } } } }',
  '',
].join('\n');

const firstLine = (s: string): string => s.split('\n')[0] ?? '';
const balanced = (s: string): boolean => (s.match(/'/g) ?? []).length % 2 === 0 && (s.match(/"/g) ?? []).length % 2 === 0;

test('--log-level bogus is a USAGE error listing the levels', { timeout: 60_000 }, async () => {
  const dir = await world();
  try {
    const level = await runCli(dir, ['plan', ...host, '--log-level', 'bogus']);
    assert.equal(level.code, 1);
    assert.match(level.err, /error USAGE:/);
    for (const l of ['fatal', 'error', 'warn', 'info', 'debug', 'trace']) assert.ok(level.err.includes(l), `lists ${l}`);
    assert.equal((await runCli(dir, ['plan', ...host, '--log-level', 'error'])).code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unknown option is quoted evenly and the closest long option is suggested', async () => {
  const typo = await runCli(tmpdir(), ['apply', '--auto-aprove']);
  assert.equal(typo.code, 1);
  assert.ok(balanced(firstLine(typo.err)), firstLine(typo.err));
  assert.match(firstLine(typo.err), /did you mean --auto-approve\?/);
  const short = await runCli(tmpdir(), ['plan', '-x']);
  assert.equal(short.code, 1);
  assert.ok(balanced(firstLine(short.err)), firstLine(short.err));
  assert.doesNotMatch(firstLine(short.err), /did you mean/, 'short options get no guess');
});

test('a desired-state path given as an argument says to use -c PATH', async () => {
  const v = await runCli(tmpdir(), ['validate', 'file.yaml']);
  assert.equal(v.code, 1);
  assert.match(v.err, /use -c file\.yaml/);
  const other = await runCli(tmpdir(), ['schema', 'file.yaml']);
  assert.equal(other.code, 1);
  assert.doesNotMatch(other.err, /-c/, 'a command that reads no desired state does not suggest -c');
});

test('an apply where every change is blocked prints the incomplete summary line', { timeout: 60_000 }, async () => {
  // an exported device: changing its inquiry data is an identity change, which needs an approval
  const dir = await world(exported);
  try {
    assert.equal((await runCli(dir, ['apply', ...host, '--auto-approve'])).code, 0);
    const sim = await openSimHost(join(dir, 'sim'));
    await sim.control.write('/sys/kernel/scst_tgt/devices/d0/prod_id', 'XYZ');
    await sim.close?.();
    const a = await runCli(dir, ['apply', ...host, '--auto-approve']);
    assert.equal(a.code, 1, a.out + a.err);
    assert.match(a.out, /^blocked: update scst\/device\/d0: /m);
    assert.match(a.out, /^Apply incomplete: 0 applied, 0 failed, 0 skipped, 1 blocked; 0 operations run\.$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a no-change plan against a recorded snapshot names the snapshot, not the live system', { timeout: 60_000 }, async () => {
  const dir = await world();
  try {
    assert.equal((await runCli(dir, ['apply', ...host, '--auto-approve'])).code, 0);
    assert.equal((await runCli(dir, ['observe', ...host, '--out', 'snap.json'])).code, 0);
    const live = await runCli(dir, ['plan', ...host]);
    assert.match(live.out, /live system/);
    const text = await runCli(dir, ['plan', '--observed', 'snap.json']);
    assert.equal(text.code, 0, text.err);
    assert.doesNotMatch(text.out, /live system/);
    assert.match(text.out, /recorded snapshot \(snap\.json\)/);
    const md = await runCli(dir, ['plan', '--observed', 'snap.json', '--markdown']);
    assert.match(md.out, /recorded snapshot \(snap\.json\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('drift text shows an empty value as ""', () => {
  const base = { address: 'scst/device/d0', field: 'prod_id', class: 'operator', why: 'changed by hand' } as const;
  assert.match(driftLine({ ...base, expected: '', found: 'hello' } as never), /expected "", found hello/);
  assert.match(driftLine({ ...base, expected: 'ABC', found: '' } as never), /expected ABC, found ""/);
});

test('the overview help names every --host form', async () => {
  const help = await runCli(tmpdir(), ['--help']);
  for (const form of ['local (', 'local:DIR', 'sim:DIR']) assert.ok(help.out.includes(form), form);
  assert.doesNotMatch(help.out, /local\|sim:DIR/);
});

test('sim ctl write takes a path relative to /sys/kernel/scst_tgt as well as the full one', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-uxmsg-'));
  try {
    assert.equal((await runCli(dir, ['sim', 'init', 'm'])).code, 0);
    const w = await runCli(dir, ['sim', 'ctl', 'm', 'write', 'targets/iscsi/mgmt', 'add_target iqn.2026-01.x:rel']);
    assert.equal(w.code, 0, w.err);
    const abs = await runCli(dir, ['sim', 'ctl', 'm', 'write', '/sys/kernel/scst_tgt/targets/iscsi/iqn.2026-01.x:rel/enabled', '1']);
    assert.equal(abs.code, 0, abs.err);
    const show = await runCli(dir, ['sim', 'show', 'm']);
    assert.match(show.out, /iqn\.2026-01\.x:rel enabled=1/);
    assert.equal((await runCli(dir, ['sim', 'ctl', 'm', 'write', '../../etc/passwd', 'x'])).code, 1, 'nothing outside the SCST tree');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
