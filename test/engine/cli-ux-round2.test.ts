/**
 * Second round of new-user findings: coded errors for a missing snapshot file and an --out in a
 * missing directory, `sanform help CMD`, an impact said twice for one change, and the demo's
 * "run it yourself" command. Rollback's confirmation is in cli-ux-rollback.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { defaultHardware, initSimDir, openSimHost } from '../../drivers/sim/index.js';
import { runCli } from './cli-run.js';

const host = ['--host', 'sim:sim'];
const IQN = 'iqn.2026-01.com.example:t1';
const ESX = 'iqn.1998-01.com.vmware:esx1';

async function world(yaml: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-ux2-'));
  await initSimDir(join(dir, 'sim'), defaultHardware());
  writeFileSync(join(dir, 'sanform.yaml'), yaml);
  return dir;
}

const twoLuns = (luns: string): string =>
  [
    'version: 1',
    'scst:',
    '  devices:',
    '    d0: { handler: vdisk_nullio }',
    '    d1: { handler: vdisk_nullio }',
    '  targets:',
    '    iscsi:',
    `      ${IQN}:`,
    '        groups:',
    `          esx: { initiators: [${ESX}], luns: ${luns} }`,
    '',
  ].join('\n');

test('plan --observed of a missing file is SNAPSHOT_NOT_FOUND naming it and saying how to make one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-ux2-'));
  try {
    writeFileSync(join(dir, 'sanform.yaml'), 'version: 1\n');
    const r = await runCli(dir, ['plan', '--observed', 'nothere.json']);
    assert.equal(r.code, 1);
    assert.match(r.err, /error SNAPSHOT_NOT_FOUND: .*nothere\.json/);
    assert.match(r.err, /hint: .*sanform observe --out nothere\.json/);
    assert.doesNotMatch(r.err, /ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('observe, plan and export --out create missing directories; an unwritable --out is OUTPUT_WRITE_FAILED', { timeout: 60_000 }, async () => {
  const dir = await world(twoLuns('{ 0: d0 }'));
  try {
    const o = await runCli(dir, ['observe', ...host, '--out', 'nodir/deeper/x.json']);
    assert.equal(o.code, 0, o.err);
    assert.match(readFileSync(join(dir, 'nodir/deeper/x.json'), 'utf8'), /"resources"/);
    const p = await runCli(dir, ['plan', ...host, '--out', 'plans/p.json']);
    assert.equal(p.code, 0, p.err);
    assert.ok(existsSync(join(dir, 'plans/p.json')));
    const e = await runCli(dir, ['export', '--format', 'scst.conf', '--out', 'conf/scst.conf']);
    assert.equal(e.code, 0, e.err);
    assert.ok(existsSync(join(dir, 'conf/scst.conf')));
    // a path through a regular file cannot be created
    const bad = await runCli(dir, ['observe', ...host, '--out', 'sanform.yaml/x.json']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /error OUTPUT_WRITE_FAILED: .*sanform\.yaml\/x\.json/);
    assert.match(bad.err, /hint: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sanform help CMD prints what sanform CMD --help prints; an unknown CMD is refused', async () => {
  for (const cmd of ['plan', 'rollback']) {
    const viaHelp = await runCli(tmpdir(), ['help', cmd]);
    const viaFlag = await runCli(tmpdir(), [cmd, '--help']);
    assert.equal(viaHelp.code, 0);
    assert.equal(viaHelp.out, viaFlag.out);
    assert.match(viaHelp.out, new RegExp(`^sanform ${cmd}: `));
  }
  const general = await runCli(tmpdir(), ['help']);
  assert.match(general.out, /^Commands:$/m, 'help alone is still the overview');
  const unknown = await runCli(tmpdir(), ['help', 'nope']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /unknown command 'nope'/);
});

/** The `!` lines under each change of a text plan. */
function impactLinesByChange(text: string): string[][] {
  const out: string[][] = [];
  for (const line of text.split('\n')) {
    if (/^ {2}\S/.test(line)) out.push([]);
    else if (/^ {6}! /.test(line) && out.length > 0) out[out.length - 1].push(line.slice(8).replace(/ \(sessions: [^)]*\)$/, ''));
  }
  return out;
}

test('a LUN removed under a live session, allowed, says each impact once', { timeout: 60_000 }, async () => {
  const dir = await world(twoLuns('{ 0: d0, 1: d1 }'));
  try {
    assert.equal((await runCli(dir, ['apply', ...host, '--auto-approve'])).code, 0);
    const sim = await openSimHost(join(dir, 'sim'));
    await sim.control.login({ driver: 'iscsi', target: IQN, initiator: ESX });
    await sim.close?.();
    writeFileSync(join(dir, 'sanform.yaml'), twoLuns('{ 0: d0 }'));
    const r = await runCli(dir, ['plan', ...host, '--allow', `scst/target/iscsi/${IQN}/group/esx/lun/1`]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /group\/esx\/lun\/1 \[IO-DISRUPT\] \[SESSION\]/);
    const lines = impactLinesByChange(r.out).find((l) => l.length > 1);
    assert.ok(lines, r.out);
    for (const [i, a] of lines.entries()) {
      for (const b of lines.slice(i + 1)) assert.ok(!a.startsWith(b) && !b.startsWith(a), `said twice:\n${a}\n${b}`);
    }
    assert.match(r.out, new RegExp(`sessions: ${ESX}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the demo prints steps that run from its workspace, not npx sanform', { timeout: 120_000 }, async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'sanform-ux2-')), 'demo');
  try {
    const d = await runCli(tmpdir(), ['demo', '--dir', dir]);
    assert.equal(d.code, 0, d.err);
    assert.doesNotMatch(d.out, /npx sanform/);
    assert.doesNotMatch(d.out, /^\$ sanform /m, 'every step is printed with the launcher');
    const step = /^\$ \.\/sanform (drift -c sanform\.yaml --host sim:machine)$/m.exec(d.out);
    assert.ok(step, d.out);
    assert.ok(statSync(join(dir, 'sanform')).mode & 0o100, 'the launcher is executable');
    // the printed command works from the workspace, in a shell without the demo's environment
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir() };
    const again = spawnSync('./sanform', step[1].split(' '), { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(again.status, 0, `${again.stdout}${again.stderr}`);
    assert.match(again.stdout, /No drift/);
    // the snapshot set: apply took the due snapshot, snapshot list shows it from the file system
    const took = /snapshot set vm_images: took (vm_images@\S+)/.exec(d.out)?.[1];
    assert.ok(took, d.out);
    assert.match(d.out, new RegExp(`\\$ \\./sanform snapshot list -c sanform\\.yaml --host sim:machine\\nsnapshot set vm_images \\(\\S+\\): 1 snapshot\\(s\\)\\n  ${took}`));
    assert.ok(statSync(join(dir, 'srv', 'images', took, 'vm1.qcow2')).isFile(), 'the snapshot holds the image');
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
});
