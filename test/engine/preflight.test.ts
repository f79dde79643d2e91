/**
 * Pre-flight checks of plan/apply (reconciler/preflight.ts) through the CLI on a sim: a secret
 * the node's objects use but this machine cannot read stops the plan at the secret's line
 * (a warning when planning offline from a snapshot), and a node the file does not declare is
 * refused with the declared ones named. Nothing is applied in either case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHardware, initSimDir, openSimHost } from '../../drivers/sim/index.js';
import { runCli } from './cli-run.js';

const yaml = (secretFile: string) => `version: 1
nodes: { esos-a: {}, esos-b: {} }
secrets:
  chap-esx: { file: ${secretFile} }
  unused: { file: /nonexistent/unused }
scst:
  devices:
    vm1: { handler: vdisk_nullio }
  targets:
    iscsi:
      iqn.2026-01.com.example:t1:
        auth: { incoming: [{ user: esx, secret: chap-esx }] }
        luns: { 0: vm1 }
`;

test('an unreadable secret stops plan and apply at its line; offline it is a warning; an undeclared node is refused', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-preflight-'));
  try {
    await initSimDir(join(dir, 'sim'), defaultHardware());
    writeFileSync(join(dir, 'sanform.yaml'), yaml(join(dir, 'chap-esx')));
    const host = ['--host', 'sim:sim', '--node', 'esos-a'];
    for (const cmd of [['plan'], ['apply', '--auto-approve']]) {
      const r = await runCli(dir, [...cmd, ...host]);
      assert.equal(r.code, 1, r.err);
      assert.match(r.err, /sanform\.yaml:4:3: error SECRET_UNAVAILABLE: .*chap-esx/);
      assert.doesNotMatch(r.err, /unused/, 'a secret no object of this node uses is not required');
    }
    const sim = await openSimHost(join(dir, 'sim'));
    assert.ok(!(await sim.sysfs.list('/sys/kernel/scst_tgt/devices')).includes('vm1'), 'nothing was applied');
    await sim.close?.();

    // offline, from a snapshot: the secrets live on the appliance, so only a warning
    assert.equal((await runCli(dir, ['observe', '--host', 'sim:sim', '--node', 'esos-a', '--out', 'snap.json'])).code, 0);
    const offline = await runCli(dir, ['plan', '--observed', 'snap.json', '--detailed-exitcode']);
    assert.equal(offline.code, 2, offline.err);

    writeFileSync(join(dir, 'chap-esx'), 'a-secret-of-12-chars\n');
    const wrong = await runCli(dir, ['plan', '--host', 'sim:sim', '--node', 'esos-c']);
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /error UNKNOWN_NODE: --node esos-c is not a node of this file \(nodes: esos-a, esos-b\)/);
    assert.equal((await runCli(dir, [...['apply', '--auto-approve'], ...host])).code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a saved plan is not applied when a secret it uses is unreadable here, or the -c file does not declare it', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-preflight-'));
  try {
    await initSimDir(join(dir, 'sim'), defaultHardware());
    const secret = join(dir, 'chap-esx');
    writeFileSync(secret, 'a-secret-of-12-chars\n');
    writeFileSync(join(dir, 'sanform.yaml'), yaml(secret).replace(/ {2}unused: .*\n/, ''));
    writeFileSync(join(dir, 'other.yaml'), 'version: 1\nnodes: { esos-a: {} }\n');
    const host = ['--host', 'sim:sim', '--node', 'esos-a'];
    assert.equal((await runCli(dir, ['plan', ...host, '--out', 'p.json'])).code, 0);
    rmSync(secret);
    const gone = await runCli(dir, ['apply', 'p.json', ...host, '-c', 'sanform.yaml', '--auto-approve']);
    assert.equal(gone.code, 1);
    assert.match(gone.err, /sanform\.yaml:4:3: error SECRET_UNAVAILABLE: .*chap-esx/);
    const other = await runCli(dir, ['apply', 'p.json', ...host, '-c', 'other.yaml', '--auto-approve']);
    assert.equal(other.code, 1);
    assert.match(other.err, /other\.yaml:\d+:\d+: error UNKNOWN_SECRET: the plan uses secret 'chap-esx', which this file does not declare/);
    const sim = await openSimHost(join(dir, 'sim'));
    assert.ok(!(await sim.sysfs.list('/sys/kernel/scst_tgt/devices')).includes('vm1'), 'nothing was applied');
    await sim.close?.();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
