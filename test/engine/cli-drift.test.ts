/**
 * `sanform drift` names the drift class of every drifted object (reconciler/drift), in text and
 * in --json, on a sim: iscsi-scstd down -> kernel, an FC port unplugged -> hardware, a value
 * written by hand -> operator, the ALUA roles of an HA pair moved -> failover. Exit code 2 on
 * drift.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHardware, initSimDir, openSimHost } from '../../drivers/sim/index.js';
import { runCli } from './cli-run.js';

const FC = '21:00:00:24:ff:00:00:01';
const IQN = 'iqn.2026-01.com.example:t1';
const yaml = [
  'version: 1',
  'scst:',
  '  devices:',
  '    vm1: { handler: vdisk_nullio, prodId: ABC }',
  '    vm2: { handler: vdisk_nullio }',
  '  targets:',
  '    iscsi:',
  `      ${IQN}: { luns: { 0: vm2 } }`,
  '    qla2x00t:',
  `      "${FC}": { groups: { esx: { initiators: ["21:00:00:24:ff:00:00:aa"], luns: { 0: vm2 } } } }`,
  '',
].join('\n');

test('drift: class per object in text and --json (kernel, hardware, operator)', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-drift-'));
  try {
    await initSimDir(join(dir, 'sim'), defaultHardware());
    writeFileSync(join(dir, 'sanform.yaml'), yaml);
    const host = ['--host', 'sim:sim'];
    assert.equal((await runCli(dir, ['apply', ...host, '--auto-approve'])).code, 0);
    assert.equal((await runCli(dir, ['drift', ...host])).code, 0);

    const sim = await openSimHost(join(dir, 'sim'));
    await sim.control.iscsiDaemon('down');
    await sim.control.unplug(FC);
    await sim.control.write('/sys/kernel/scst_tgt/devices/vm1/prod_id', 'XYZ');
    await sim.close?.();

    const j = await runCli(dir, ['drift', ...host, '--json']);
    assert.equal(j.code, 2, j.err);
    const entries = (JSON.parse(j.out) as { drift: { address: string; driftClass?: string; why?: string }[] }).drift;
    const cls = Object.fromEntries(entries.map((e) => [e.address, e.driftClass]));
    assert.equal(cls['scst/device/vm1'], 'operator');
    assert.equal(cls[`scst/target/iscsi/${IQN}`], 'kernel');
    assert.equal(cls[`scst/target/iscsi/${IQN}/lun/0`], 'kernel');
    assert.equal(cls[`scst/target/qla2x00t/${FC}`], 'hardware');
    assert.equal(cls[`scst/target/qla2x00t/${FC}/group/esx/lun/0`], 'hardware');
    assert.ok(entries.every((e) => e.driftClass !== undefined && e.why), 'every drifted object has a class and a reason');

    const t = await runCli(dir, ['drift', ...host]);
    assert.equal(t.code, 2);
    const head = (a: string) => t.out.split('\n').find((l) => l.trimStart().startsWith(`+ ${a} `) || l.trimStart().startsWith(`~ ${a} `));
    assert.match(head('scst/device/vm1') ?? '', /drift: operator\b/);
    assert.match(head(`scst/target/iscsi/${IQN}`) ?? '', /drift: kernel\b/);
    assert.match(head(`scst/target/qla2x00t/${FC}`) ?? '', /drift: hardware\b/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const pair = [
  'version: 1',
  'nodes: { esos-a: {}, esos-b: {} }',
  'scst:',
  '  devices:',
  '    vm1: { handler: vdisk_nullio }',
  '  targets:',
  '    iscsi:',
  '      iqn.2026-01.com.example:a: { node: esos-a, relTgtId: 1, luns: { 0: vm1 } }',
  '      iqn.2026-01.com.example:b: { node: esos-b, relTgtId: 2, luns: { 0: vm1 } }',
  '  alua:',
  '    deviceGroups:',
  '      dg:',
  '        devices: [vm1]',
  '        targetGroups:',
  '          tg_a: { groupId: 1, node: esos-a, state: active, targets: { "iqn.2026-01.com.example:a": {} } }',
  '          tg_b: { groupId: 2, node: esos-b, state: nonoptimized, targets: { "iqn.2026-01.com.example:b": { relTgtId: 2 } } }',
    '',
].join('\n');

test('drift: ALUA active moved to the peer\'s target group is failover; a lone state change is operator', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-drift-'));
  try {
    await initSimDir(join(dir, 'sim'), defaultHardware());
    writeFileSync(join(dir, 'sanform.yaml'), pair);
    const host = ['--host', 'sim:sim', '--node', 'esos-a'];
    assert.equal((await runCli(dir, ['apply', ...host, '--auto-approve'])).code, 0);
    const tgState = (tg: string) => `/sys/kernel/scst_tgt/device_groups/dg/target_groups/${tg}/state`;
    const drift = async () => {
      const j = await runCli(dir, ['drift', ...host, '--json']);
      assert.equal(j.code, 2, j.err);
      return (JSON.parse(j.out) as { drift: { address: string; driftClass?: string }[] }).drift.map((e) => `${e.address} ${e.driftClass}`);
    };

    // what the cluster manager does on a failover of the pair: a is demoted, b promoted
    let sim = await openSimHost(join(dir, 'sim'));
    await sim.control.write(tgState('tg_a'), 'standby');
    await sim.control.write(tgState('tg_b'), 'active');
    await sim.close?.();
    assert.deepEqual(await drift(), ['scst/alua/dg/tg/tg_a failover', 'scst/alua/dg/tg/tg_b failover']);

    sim = await openSimHost(join(dir, 'sim'));
    await sim.control.write(tgState('tg_a'), 'active');
    await sim.control.write(tgState('tg_b'), 'standby');
    await sim.close?.();
    assert.deepEqual(await drift(), ['scst/alua/dg/tg/tg_b operator']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
