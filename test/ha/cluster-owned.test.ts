/**
 * Pacemaker owns the ALUA target-group states of a pair (DESIGN §3, Ownership): after a failover
 * (the cluster demotes a and promotes b on both nodes), a plain plan or apply on either node
 * changes nothing cluster-owned, drift calls it failover, and the declared state is used only when
 * the target group is created. With `policy.ha.manager: none` sanform owns the states again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHardware, initSimDir, openSimHost } from '../../drivers/sim/index.js';
import { runCli } from '../engine/cli-run.js';

const pair = (extra = '') => [
  'version: 1',
  'nodes: { esos-a: {}, esos-b: {} }',
  'scst:',
  '  devices:',
  '    vm1: { handler: vdisk_nullio, prodId: ABC }',
  '  targets:',
  '    iscsi:',
  '      iqn.2026-01.com.example:a: { node: esos-a, relTgtId: 1, luns: { 0: vm1 } }',
  '      iqn.2026-01.com.example:b: { node: esos-b, relTgtId: 2, luns: { 0: vm1 } }',
  '  alua:',
  '    deviceGroups:',
  '      dg:',
  '        devices: [vm1]',
  '        targetGroups:',
  '          tg_a: { groupId: 1, node: esos-a, state: active, targets: { "iqn.2026-01.com.example:a": { relTgtId: 1 } } }',
  '          tg_b: { groupId: 2, node: esos-b, state: nonoptimized, targets: { "iqn.2026-01.com.example:b": { relTgtId: 2 } } }',
  extra,
  '',
].join('\n');

const tgState = (tg: string) => `/sys/kernel/scst_tgt/device_groups/dg/target_groups/${tg}/state`;

async function states(dir: string): Promise<string> {
  const sim = await openSimHost(dir);
  try {
    const a = (await sim.sysfs.read(tgState('tg_a'))).split('\n')[0];
    const b = (await sim.sysfs.read(tgState('tg_b'))).split('\n')[0];
    return `${a}/${b}`;
  } finally {
    await sim.close?.();
  }
}

/** What Pacemaker's ALUA agent does on a failover, on one node: a demoted, b promoted. */
async function failover(dir: string): Promise<void> {
  const sim = await openSimHost(dir);
  await sim.control.write(tgState('tg_a'), 'nonoptimized');
  await sim.control.write(tgState('tg_b'), 'active');
  await sim.close?.();
}

test('after a failover, plan and apply on either node leave the ALUA states where the cluster put them', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-owned-'));
  try {
    writeFileSync(join(dir, 'sanform.yaml'), pair());
    for (const n of ['a', 'b']) {
      await initSimDir(join(dir, n), defaultHardware());
      const r = await runCli(dir, ['apply', '--host', `sim:${n}`, '--node', `esos-${n}`, '--auto-approve']);
      assert.equal(r.code, 0, r.err);
      // created with the declared states
      assert.equal(await states(join(dir, n)), 'active/nonoptimized');
      await failover(join(dir, n));
    }
    for (const n of ['a', 'b']) {
      const host = ['--host', `sim:${n}`, '--node', `esos-${n}`];
      const p = await runCli(dir, ['plan', ...host, '--detailed-exitcode']);
      assert.equal(p.code, 0, `plan on esos-${n} after failover must be empty:\n${p.out}`);
      assert.match(p.out, /cluster-owned/);
      const j = JSON.parse((await runCli(dir, ['plan', ...host, '--json'])).out) as { held?: { address: string; field: string }[] };
      assert.deepEqual(j.held?.map((h) => `${h.address} ${h.field}`), ['scst/alua/dg/tg/tg_a attributes.state', 'scst/alua/dg/tg/tg_b attributes.state']);
      const a = await runCli(dir, ['apply', ...host, '--auto-approve']);
      assert.equal(a.code, 0, a.err);
      assert.equal(await states(join(dir, n)), 'nonoptimized/active', `apply on esos-${n} moved the ALUA state back`);
      const d = await runCli(dir, ['drift', ...host, '--json']);
      const cls = (JSON.parse(d.out) as { drift: { address: string; driftClass?: string }[] }).drift.map((e) => `${e.address} ${e.driftClass}`);
      assert.deepEqual(cls, ['scst/alua/dg/tg/tg_a failover', 'scst/alua/dg/tg/tg_b failover']);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('policy.ha.manager none: sanform owns the states and a plain apply sets them back', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-owned-'));
  try {
    writeFileSync(join(dir, 'sanform.yaml'), pair('policy: { ha: { manager: none } }'));
    await initSimDir(join(dir, 'a'), defaultHardware());
    const host = ['--host', 'sim:a', '--node', 'esos-a'];
    assert.equal((await runCli(dir, ['apply', ...host, '--auto-approve'])).code, 0);
    await failover(join(dir, 'a'));
    assert.equal((await runCli(dir, ['plan', ...host, '--detailed-exitcode'])).code, 2);
    assert.equal((await runCli(dir, ['apply', ...host, '--auto-approve'])).code, 0);
    assert.equal(await states(join(dir, 'a')), 'active/nonoptimized');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('policy.ha.clusterOwned adds fields the cluster owns', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-owned-'));
  try {
    writeFileSync(join(dir, 'sanform.yaml'), pair('policy: { ha: { clusterOwned: [{ address: "scst/device/*", fields: [attributes.prod_id] }] } }'));
    await initSimDir(join(dir, 'a'), defaultHardware());
    const host = ['--host', 'sim:a', '--node', 'esos-a'];
    assert.equal((await runCli(dir, ['apply', ...host, '--auto-approve'])).code, 0);
    const sim = await openSimHost(join(dir, 'a'));
    await sim.control.write('/sys/kernel/scst_tgt/devices/vm1/prod_id', 'XYZ');
    await sim.close?.();
    const p = await runCli(dir, ['plan', ...host, '--json']);
    const j = JSON.parse(p.out) as { changes: unknown[]; held?: { address: string; field: string }[] };
    assert.equal(j.changes.length, 0, p.out);
    assert.deepEqual(j.held?.map((h) => `${h.address} ${h.field}`), ['scst/device/vm1 attributes.prod_id']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
