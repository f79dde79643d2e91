/**
 * `apply --pair` on two linked emulated machines (DRBD + SCST + ALUA, test/ha/pair.yaml): the
 * standby is applied first, both next plans are empty; after a failover a plain apply on either
 * node changes nothing the cluster owns; with the replication link cut, the DRBD gate stops a
 * rollout before the active node, which stays untouched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHardware, initSimDir, openSimHost } from '../../drivers/sim/index.js';
import { failover, linkSimDirs, setLink } from '../../drivers/sim/pair.js';
import { runCli } from '../engine/cli-run.js';

async function setup(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-pair-'));
  await initSimDir(join(dir, 'a'), { ...defaultHardware(), hostname: 'esos-a' });
  await initSimDir(join(dir, 'b'), { ...defaultHardware(), hostname: 'esos-b' });
  await linkSimDirs(join(dir, 'a'), join(dir, 'b'));
  copyFileSync(new URL('./pair.yaml', import.meta.url), join(dir, 'sanform.yaml'));
  return dir;
}

async function tgStates(dir: string, n: string): Promise<string> {
  const h = await openSimHost(join(dir, n));
  try {
    const at = (tg: string) => h.sysfs.read(`/sys/kernel/scst_tgt/device_groups/dg_vm/target_groups/${tg}/state`);
    return `${(await at('tg_a')).split('\n')[0]}/${(await at('tg_b')).split('\n')[0]}`;
  } finally {
    await h.close();
  }
}

test('apply --pair: standby first, then active; both next plans empty; after a failover plain applies change nothing cluster-owned', { timeout: 300_000 }, async () => {
  const dir = await setup();
  try {
    const r = await runCli(dir, ['apply', '--pair', '--auto-approve']);
    assert.equal(r.code, 0, r.out + r.err);
    const order = [...r.out.matchAll(/^== (esos-[ab]) \((standby|active)\) ==$/gm)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(order, ['esos-b standby', 'esos-a active']);
    assert.equal((await runCli(dir, ['plan', '--pair', '--detailed-exitcode'])).code, 0);
    const md = await runCli(dir, ['plan', '--pair', '--markdown']);
    assert.match(md.out, /### sanform plan: esos-b \(standby, applied first\)[\s\S]*### sanform plan: esos-a \(active\)/);

    await failover(join(dir, 'a'));
    assert.equal(await tgStates(dir, 'a'), 'nonoptimized/active');
    for (const n of ['a', 'b']) {
      const a = await runCli(dir, ['apply', '--host', `sim:${n}`, '--node', `esos-${n}`, '--auto-approve']);
      assert.equal(a.code, 0, a.out + a.err);
      assert.equal(await tgStates(dir, n), 'nonoptimized/active', `esos-${n}: a plain apply moved ALUA back`);
      const p = await runCli(dir, ['plan', '--host', `sim:${n}`, '--node', `esos-${n}`, '--json']);
      const j = JSON.parse(p.out) as { changes: unknown[]; held?: { field: string }[] };
      assert.deepEqual(j.changes, []);
      assert.ok(j.held?.some((h) => h.field === 'role'), 'the DRBD role the cluster moved is held');
    }
    // the pair rollout follows the cluster: esos-a is now the standby
    const again = await runCli(dir, ['plan', '--pair']);
    assert.match(again.out, /^== esos-a \(standby, applied first; esos-b is active \(promoted by Pacemaker\)\) ==$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('apply --pair: a cut replication link fails the DRBD gate; the active node is untouched and a later rollout converges', { timeout: 300_000 }, async () => {
  const dir = await setup();
  try {
    assert.equal((await runCli(dir, ['apply', '--pair', '--auto-approve'])).code, 0);
    const yaml = readFileSync(join(dir, 'sanform.yaml'), 'utf8');
    // the initial sync finishes (each status read advances it) before the link goes down
    let synced = false;
    for (let i = 0; i < 10 && !synced; i++) synced = (await runCli(dir, ['drift', '--host', 'sim:b', '--node', 'esos-b'])).code === 0;
    assert.ok(synced, 'the initial sync never finished');
    writeFileSync(join(dir, 'sanform.yaml'), yaml.replace('  devices:\n', '  devices:\n    scratch: { handler: vdisk_nullio }\n'));
    setLink(join(dir, 'a'), false);
    const r = await runCli(dir, ['apply', '--pair', '--auto-approve', '--gate-timeout', '1']);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /Rollout stopped before esos-a \(active, untouched\)/);
    assert.match(r.out, /gate drbd: esos-b: r0: Connecting to esos-a/);
    const active = await runCli(dir, ['plan', '--host', 'sim:a', '--node', 'esos-a', '--detailed-exitcode']);
    assert.equal(active.code, 2, 'the active node still has the change');
    setLink(join(dir, 'a'), true);
    const done = await runCli(dir, ['apply', '--pair', '--auto-approve']);
    assert.equal(done.code, 0, done.out);
    assert.equal((await runCli(dir, ['plan', '--pair', '--detailed-exitcode'])).code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('plan --pair: a node reached over ssh is refused with PAIR_HOST_UNSUPPORTED', async () => {
  const dir = await setup();
  try {
    writeFileSync(join(dir, 'sanform.yaml'), readFileSync(join(dir, 'sanform.yaml'), 'utf8').replace('host: "sim:a"', 'host: "ssh:esos-a"'));
    const r = await runCli(dir, ['plan', '--pair']);
    assert.equal(r.code, 1);
    assert.match(r.err, /PAIR_HOST_UNSUPPORTED/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
