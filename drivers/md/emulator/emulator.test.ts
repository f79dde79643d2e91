import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSimHost } from '../../sim/index.js';

const mdadm = (h: ReturnType<typeof createSimHost>, ...args: string[]) => h.exec(['mdadm', ...args]);

test('mdadm --create makes /dev/md0 appear over its members, with mdstat, md sysfs, slaves/holders and signatures', async () => {
  const h = createSimHost();
  const r = await mdadm(h, '--create', '/dev/md0', '--run', '--level=raid1', '--raid-devices=2', '--name=md0', '/dev/sdb', '/dev/sdc');
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(await h.sysfs.read('/proc/mdstat'), /^md0 : active raid1 sdc\[1\] sdb\[0\]$/m);
  assert.equal((await h.sysfs.read('/sys/block/md0/md/level')).trim(), 'raid1');
  assert.deepEqual(await h.sysfs.list('/sys/block/sdb/holders'), ['md0']);
  assert.deepEqual(await h.sysfs.list('/sys/block/md0/slaves'), ['sdb', 'sdc']);
  const blk = await h.exec(['blkid', '-p', '-o', 'export', '/dev/sdb']);
  assert.match(blk.stdout, /^TYPE=linux_raid_member$/m);
  const exp = await mdadm(h, '--detail', '--export', '/dev/md0');
  assert.match(exp.stdout, /^MD_DEVICE_dev_sdc_ROLE=1$/m);
  // a member in use cannot go into a second array
  const again = await mdadm(h, '--create', '/dev/md1', '--run', '--level=raid1', '--raid-devices=2', '/dev/sdb', '/dev/sdd');
  assert.equal(again.exitCode, 1);
  assert.match(again.stderr, /cannot open \/dev\/sdb: Device or resource busy/);
  assert.equal(await h.sysfs.exists('/sys/block/md1'), false, 'nothing half-made');
});

test('mdadm refuses what mdadm refuses: too few devices for the level, counts that do not match, a missing disk', async () => {
  const h = createSimHost();
  const few = await mdadm(h, '--create', '/dev/md0', '--run', '--level=raid6', '--raid-devices=3', '/dev/sdb', '/dev/sdc', '/dev/sdd');
  assert.equal(few.exitCode, 2);
  assert.match(few.stderr, /at least 4 raid-devices needed for level 6/);
  const more = await mdadm(h, '--create', '/dev/md0', '--run', '--level=raid1', '--raid-devices=2', '/dev/sdb', '/dev/sdc', '/dev/sdd');
  assert.equal(more.exitCode, 2);
  const gone = await mdadm(h, '--create', '/dev/md0', '--run', '--level=raid1', '--raid-devices=2', '/dev/sdb', '/dev/sdz');
  assert.equal(gone.exitCode, 1);
  assert.match(gone.stderr, /cannot open \/dev\/sdz: No such file or directory/);
});

test('--stop is refused while an SCST device holds the array; a failed member leaves it degraded; --add repairs', async () => {
  const h = createSimHost();
  await mdadm(h, '--create', '/dev/md0', '--run', '--level=raid1', '--raid-devices=2', '/dev/sdb', '/dev/sdc');
  await h.sysfs.mgmt('/sys/kernel/scst_tgt/handlers/vdisk_blockio/mgmt', 'add_device vm filename=/dev/md0');
  const busy = await mdadm(h, '--stop', '/dev/md0');
  assert.equal(busy.exitCode, 1);
  assert.match(busy.stderr, /Cannot get exclusive access to \/dev\/md0/);
  await h.control.disk('fail', '/dev/sdc');
  assert.equal((await h.sysfs.read('/sys/block/md0/md/degraded')).trim(), '1');
  assert.equal((await h.sysfs.read('/sys/block/md0/md/dev-sdc/state')).trim(), 'faulty');
  assert.equal((await mdadm(h, '/dev/md0', '--remove', '/dev/sdc')).exitCode, 0);
  assert.equal((await mdadm(h, '/dev/md0', '--add', '/dev/sdd')).exitCode, 0);
  assert.equal((await h.sysfs.read('/sys/block/md0/md/degraded')).trim(), '0');
  await h.sysfs.mgmt('/sys/kernel/scst_tgt/handlers/vdisk_blockio/mgmt', 'del_device vm');
  assert.equal((await mdadm(h, '--stop', '/dev/md0')).exitCode, 0);
  assert.equal(await h.sysfs.exists('/sys/block/md0'), false);
});

test('--grow --raid-devices needs spares, and the array grows', async () => {
  const h = createSimHost();
  await mdadm(h, '--create', '/dev/md0', '--run', '--level=raid5', '--raid-devices=3', '/dev/sdb', '/dev/sdc', '/dev/sdd');
  const size = Number(await h.sysfs.read('/sys/block/md0/size'));
  const none = await mdadm(h, '--grow', '/dev/md0', '--raid-devices=4');
  assert.equal(none.exitCode, 1);
  assert.match(none.stderr, /Need 1 spare/);
  await mdadm(h, '/dev/md0', '--add', '/dev/sde');
  assert.equal((await mdadm(h, '--grow', '/dev/md0', '--raid-devices=4')).exitCode, 0);
  assert.equal(Number(await h.sysfs.read('/sys/block/md0/size')), (size / 2) * 3);
});

test('a machine that lacks md has no mdadm (exit 127)', async () => {
  const h = createSimHost({ hardware: { hostname: 'x', blockDevices: [], fcPorts: [], srpPorts: [], fcoePorts: [], scsiDevices: [], lacks: ['md'] } });
  assert.equal((await mdadm(h, '--version')).exitCode, 127);
});
