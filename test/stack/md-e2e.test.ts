import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { applyPlan, drift, loadAndPlan } from '../../reconciler/pipeline.js';
import { renderCommands } from '../../reconciler/render/index.js';
import { mdDriver } from '../../drivers/md/index.js';
import { scstDriver } from '../../drivers/scst/index.js';
import { createSimHost as newSimHost } from '../../drivers/sim/index.js';

const hosts: ReturnType<typeof newSimHost>[] = [];
const createSimHost = (...a: Parameters<typeof newSimHost>) => {
  const h = newSimHost(...a);
  hosts.push(h);
  return h;
};
after(() => Promise.all(hosts.map((h) => h.close())));

const drivers = [mdDriver, scstDriver];
const yaml = (md: string, extra = '') => `version: 1
storage:
  md:
${md}
scst:
  devices:
    vm: { handler: vdisk_blockio, filename: /dev/md0 }
  targets:
    iscsi:
      iqn.2026-01.com.example:vm: { enabled: true, luns: { 0: vm } }
${extra}`;
const plan = (host: ReturnType<typeof createSimHost>, text: string, allow: string[] = []) =>
  loadAndPlan({ texts: [{ file: 'sanform.yaml', text }], host, drivers, node: 'esos-sim', allow });

test('md under SCST on the sim host: the array is created first, mdadm.conf written, the next plan is empty', async () => {
  const host = createSimHost();
  const text = yaml('    md0: { level: raid1, devices: [/dev/sdb, /dev/sdc] }');
  const p = await plan(host, text);
  assert.ok(p.ok);
  const order = p.plan.changes.map((c) => c.address);
  assert.ok(order.indexOf('md/array/md0') < order.indexOf('scst/device/vm'), order.join(' '));
  const md0 = p.plan.changes.find((c) => c.address === 'md/array/md0')!;
  assert.deepEqual(md0.ops[0], { type: 'exec', argv: ['mdadm', '--create', '/dev/md0', '--run', '--level=raid1', '--raid-devices=2', '--metadata=1.2', '--name=md0', `--uuid=${(md0.ops[0] as { argv: string[] }).argv[8]!.slice(7)}`, '/dev/sdb', '/dev/sdc'] });
  assert.match(renderCommands(p.plan), /mdadm --create \/dev\/md0/);
  const r = await applyPlan({ host, plan: p.plan, drivers, checkStale: false });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.match((await host.files.read('/etc/mdadm.conf'))!, /^ARRAY \/dev\/md\/md0 metadata=1.2 UUID=/m);
  const again = await plan(host, text);
  assert.ok(again.ok);
  assert.deepEqual(again.plan.changes.map((c) => `${c.action} ${c.address}`), []);
  assert.deepEqual(again.plan.blocked, []);

  // the array cannot go while the SCST device uses it; the plan names it
  const held = await plan(host, yaml('    {}'), ['md/array/md0']);
  assert.ok(!held.ok || held.plan.changes.every((c) => c.address !== 'md/array/md0'));

  // a failed member: hardware drift, nothing planned to "fix" it
  await host.control.disk('fail', '/dev/sdc');
  const d = await drift({ texts: [{ file: 'sanform.yaml', text }], host, drivers, node: 'esos-sim' });
  assert.ok(d.ok);
  assert.equal(d.classes?.get('md/array/md0')?.class, 'hardware');
  assert.deepEqual(d.plan.changes, []);
});

test('md: a create over a disk with a signature is data-loss naming it; a missing md layer is unavailable', async () => {
  const host = createSimHost();
  await host.exec(['mdadm', '--create', '/dev/md9', '--run', '--level=raid1', '--raid-devices=2', '/dev/sdd', '/dev/sde']);
  await host.exec(['mdadm', '--stop', '/dev/md9']);
  const p = await plan(host, yaml('    md0: { level: raid1, devices: [/dev/sdd, /dev/sdf] }'));
  assert.ok(p.ok);
  const b = p.plan.blocked.find((x) => x.address === 'md/array/md0')!;
  assert.equal(b.because[0]!.class, 'data-loss');
  assert.match(b.because[0]!.detail, /\/dev\/sdd \(holds linux_raid_member/);
  const lacking = createSimHost({ hardware: { ...host.hardware(), lacks: ['md'] } });
  const q = await plan(lacking, yaml('    md0: { level: raid1, devices: [/dev/sdb, /dev/sdc] }'));
  assert.ok(q.ok);
  assert.match(q.plan.blocked.find((x) => x.address === 'md/array/md0')!.unavailable!, /md driver is not loaded/);
});

test('md: a raid5 grown by a member carries the growth to the SCST device (resync_size)', async () => {
  const host = createSimHost();
  const three = yaml('    md0: { level: raid5, devices: [/dev/sdb, /dev/sdc, /dev/sdd] }');
  const p = await plan(host, three);
  assert.ok(p.ok);
  assert.equal((await applyPlan({ host, plan: p.plan, drivers, checkStale: false })).ok, true);
  const four = yaml('    md0: { level: raid5, devices: [/dev/sdb, /dev/sdc, /dev/sdd, /dev/sde] }');
  const g = await plan(host, four, ['md/array/md0']);
  assert.ok(g.ok);
  assert.deepEqual(g.plan.changes.map((c) => `${c.action} ${c.address}`), ['update md/array/md0', 'update scst/device/vm']);
  assert.deepEqual(g.plan.changes[0]!.ops.map((o) => (o as { argv: string[] }).argv.join(' ')), ['mdadm /dev/md0 --add /dev/sde', 'mdadm --grow /dev/md0 --raid-devices=4']);
  assert.equal(g.plan.changes[0]!.impact[0]!.class, 'io-disruptive');
  const r = await applyPlan({ host, plan: g.plan, drivers, checkStale: false });
  assert.equal(r.ok, true, JSON.stringify(r));
  const after = await plan(host, four);
  assert.ok(after.ok);
  assert.deepEqual(after.plan.changes, []);
});
