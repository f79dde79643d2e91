/** The engine commands end to end through cli/main.ts against a persistent sim DIR. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../cli/main.js';
import type { CommandIO } from '../../cli/command.js';
import { defaultHardware, initSimDir, openSimHost } from '../../drivers/sim/index.js';

function io(cwd: string, o: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  let out = '';
  let err = '';
  const stdout = Object.assign(new PassThrough(), { isTTY: o.tty ?? false });
  const stderr = Object.assign(new PassThrough(), { isTTY: false });
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  const value: CommandIO = { stdout, stderr, stdin, env: { SANFORM_SECRETS_DIR: process.env.SANFORM_SECRETS_DIR, ...o.env }, cwd };
  return { value, out: () => out, err: () => err };
}

async function run(cwd: string, args: string[], o: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const x = io(cwd, o);
  const code = await main(args, x.value);
  return { code, out: x.out(), err: x.err() };
}

test('plan, apply, drift, observe and saved plans through the CLI', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-cli-'));
  try {
    await initSimDir(join(dir, 'sim'), defaultHardware());
    writeFileSync(join(dir, 'chap'), 'supersecret12\n');
    writeFileSync(
      join(dir, 'sanform.yaml'),
      [
        'version: 1',
        `secrets: { chap: { file: ${join(dir, 'chap')} } }`,
        'scst:',
        '  devices:',
        '    d0: { handler: vdisk_nullio }',
        '    d1: { handler: vdisk_nullio, prodId: ABC }',
        '  targets:',
        '    iscsi:',
        '      iqn.2026-01.com.example:t1:',
        '        auth: { incoming: [{ user: esx, secret: chap }] }',
        '        luns: { 0: d0 }',
        '        groups: { esx: { initiators: [iqn.1998-01.com.vmware:esx1], luns: { 0: d1 } } }',
        '',
      ].join('\n'),
    );
    const host = ['--host', 'sim:sim'];
    const p = await run(dir, ['plan', ...host, '--detailed-exitcode', '--commands']);
    assert.equal(p.code, 2, p.err);
    assert.match(p.out, /^ {2}\+ scst\/device\/d0$/m);
    assert.match(p.out, /<secret chap fp=[0-9a-f]{12}>/);
    assert.doesNotMatch(p.out, /supersecret12/);
    assert.equal((await run(dir, ['apply', ...host])).code, 1, 'no TTY and no --auto-approve: refused');
    const a = await run(dir, ['apply', ...host, '--auto-approve']);
    assert.equal(a.code, 0, a.out + a.err);
    assert.match(a.out, /Apply complete: \d+ applied, 0 failed, 0 skipped, 0 blocked/);
    const again = await run(dir, ['plan', ...host, '--detailed-exitcode']);
    assert.equal(again.code, 0);
    assert.equal(again.out, 'No changes. The live system matches the desired state.\n');
    assert.equal((await run(dir, ['drift', ...host])).code, 0);

    const o = await run(dir, ['observe', ...host, '--out', 'snap.json']);
    assert.equal(o.code, 0, o.err);
    const sim = await openSimHost(join(dir, 'sim'));
    await sim.control.write('/sys/kernel/scst_tgt/devices/d1/prod_id', 'XYZ');
    const d = await run(dir, ['drift', ...host, '--json']);
    assert.equal(d.code, 2);
    const dj = JSON.parse(d.out) as { drift: { address: string; guarded: boolean }[] };
    assert.deepEqual(dj.drift.map((x) => [x.address, x.guarded]), [['scst/device/d1', true]]);
    const blocked = await run(dir, ['plan', ...host, '--detailed-exitcode']);
    assert.equal(blocked.code, 2);
    assert.match(blocked.out, /hint: --allow scst\/device\/d1/);

    // the snapshot taken before the tamper plans offline: no changes there
    const offline = await run(dir, ['plan', '--observed', 'snap.json', '--detailed-exitcode', '--json']);
    assert.equal(offline.code, 0, offline.err);
    assert.equal(JSON.parse(offline.out).changes.length, 0);

    const saved = await run(dir, ['plan', ...host, '--allow', 'scst/device/d1', '--out', 'p.json']);
    assert.equal(saved.code, 0);
    await sim.control.write('/sys/kernel/scst_tgt/devices/d0/prod_id', 'MOVED');
    const stale = await run(dir, ['apply', 'p.json', ...host, '--auto-approve']);
    assert.equal(stale.code, 1);
    assert.match(stale.err, /PLAN_STALE/);
    await run(dir, ['plan', ...host, '--allow', 'scst/device/d1', '--out', 'p.json']);
    const fresh = await run(dir, ['apply', 'p.json', ...host, '--auto-approve']);
    assert.equal(fresh.code, 0, fresh.out + fresh.err);
    assert.ok(readFileSync(join(dir, 'p.json'), 'utf8').includes('"formatVersion": 1'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('colour only on a TTY without NO_COLOR', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-cli-'));
  try {
    await initSimDir(join(dir, 'sim'), defaultHardware());
    writeFileSync(join(dir, 'sanform.yaml'), 'version: 1\nscst:\n  devices:\n    d0: { handler: vdisk_nullio }\n');
    const args = ['plan', '--host', 'sim:sim'];
    assert.match((await run(dir, args, { tty: true })).out, /\u001b\[/);
    assert.doesNotMatch((await run(dir, args, { tty: true, env: { NO_COLOR: '1' } })).out, /\u001b\[/);
    assert.doesNotMatch((await run(dir, args)).out, /\u001b\[/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
