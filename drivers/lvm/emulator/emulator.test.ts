import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSimHost } from '../../sim/index.js';

type Host = ReturnType<typeof createSimHost>;
const run = async (h: Host, ...argv: string[]) => {
  const r = await h.exec(argv);
  assert.equal(r.exitCode, 0, `${argv.join(' ')}: ${r.stderr}`);
  return r;
};
const report = async (h: Host) => {
  const r = await run(h, 'lvm', 'fullreport', '--reportformat', 'json', '--units', 'b', '--nosuffix', '-a');
  return (JSON.parse(r.stdout) as { report: Record<string, Record<string, string>[]>[] }).report;
};

test('an LV is a block device with /dev/VG/LV and /dev/mapper/VG-LV (dashes doubled), on its PVs as holders', async () => {
  const h = createSimHost();
  await run(h, 'pvcreate', '/dev/sdb');
  assert.match((await h.exec(['blkid', '-p', '-o', 'export', '/dev/sdb'])).stdout, /TYPE=LVM2_member/);
  await run(h, 'vgcreate', 'vg-data', '/dev/sdb');
  await run(h, 'lvcreate', '-L', '10G', '-n', 'my-lv', 'vg-data');
  const holders = await h.sysfs.list('/sys/block/sdb/holders');
  assert.equal(holders.length, 1);
  const kernel = holders[0]!;
  assert.match(kernel, /^dm-\d+$/);
  assert.equal((await h.sysfs.read(`/sys/block/${kernel}/dm/name`)).trim(), 'vg--data-my--lv');
  assert.equal(Number(await h.sysfs.read(`/sys/block/${kernel}/size`)) * 512, 10 * 1024 ** 3);
  // SCST can open it by either name
  await h.sysfs.mgmt('/sys/kernel/scst_tgt/handlers/vdisk_blockio/mgmt', 'add_device vm filename=/dev/mapper/vg--data-my--lv');
  const busy = await h.exec(['lvremove', '-f', 'vg-data/my-lv']);
  assert.equal(busy.exitCode, 5);
  assert.match(busy.stderr, /Logical volume vg-data\/my-lv in use\./);
  await h.sysfs.mgmt('/sys/kernel/scst_tgt/handlers/vdisk_blockio/mgmt', 'del_device vm');
  const noforce = await h.exec(['lvremove', 'vg-data/my-lv']);
  assert.equal(noforce.exitCode, 5, 'an active LV is only removed with -f (no terminal to answer the prompt)');
  await run(h, 'lvremove', '-f', 'vg-data/my-lv');
  assert.deepEqual(await h.sysfs.list('/sys/block/sdb/holders'), []);
  assert.equal(await h.sysfs.exists(`/sys/block/${kernel}`), false);
});

test('lvconvert --type cache attaches a pool: the report shows the cache segment, the hidden _cpool and _corig', async () => {
  const h = createSimHost();
  await run(h, 'vgcreate', 'vg0', '/dev/sdb', '/dev/nvme0n1');
  await run(h, 'lvcreate', '-L', '100G', '-n', 'vms', 'vg0', '/dev/sdb');
  await run(h, 'lvcreate', '--type', 'cache-pool', '-L', '10G', '-n', 'fast', 'vg0', '/dev/nvme0n1');
  const refused = await h.exec(['lvconvert', '--type', 'cache', '--cachepool', 'vg0/fast', 'vg0/vms']);
  assert.equal(refused.exitCode, 5, 'without -y the metadata wipe prompt is answered n');
  await run(h, 'lvconvert', '-y', '--type', 'cache', '--cachepool', 'vg0/fast', '--cachemode', 'writeback', 'vg0/vms');
  const [vg] = await report(h);
  const lv = (n: string) => vg!.lv!.find((l) => l.lv_name === n)!;
  assert.equal(lv('vms').pool_lv, '[fast_cpool]');
  assert.equal(lv('vms').lv_size, String(100 * 1024 ** 3));
  assert.equal(lv('[fast_cpool]').lv_size, String(10 * 1024 ** 3));
  assert.ok(lv('[vms_corig]'));
  const seg = vg!.seg!.find((s) => s.lv_uuid === lv('vms').lv_uuid)!;
  assert.deepEqual([seg.segtype, seg.cache_mode, seg.cache_policy], ['cache', 'writeback', 'smq']);
  await run(h, 'lvchange', '--cachemode', 'writethrough', 'vg0/vms');
  const [vg2] = await report(h);
  assert.equal(vg2!.seg!.find((s) => s.segtype === 'cache')!.cache_mode, 'writethrough');
  // the cached LV's device sits on both PVs
  const k = (await h.sysfs.list('/sys/block/nvme0n1/holders'))[0]!;
  assert.deepEqual(await h.sysfs.list(`/sys/block/${k}/slaves`), ['nvme0n1', 'sdb']);
  await run(h, 'lvextend', '-L', '+10G', 'vg0/vms');
  assert.equal(Number(await h.sysfs.read(`/sys/block/${k}/size`)) * 512, 110 * 1024 ** 3);
  // removing the cached LV takes its pool and the pool's spare metadata
  await run(h, 'lvremove', '-f', 'vg0/vms');
  assert.deepEqual((await report(h))[0]!.lv, []);
});

test('snapshots: -s makes a COW LV the size of its origin, the origin cannot shrink, removing it needs -f and takes the snapshot', async () => {
  const h = createSimHost();
  await run(h, 'vgcreate', 'vg0', '/dev/sdb');
  await run(h, 'lvcreate', '-L', '20G', '-n', 'db', 'vg0');
  await run(h, 'lvcreate', '-s', '-L', '2G', '-n', 'db_snap', 'vg0/db');
  assert.equal((await h.exec(['lvcreate', '-s', '-L', '1G', '-n', 'again', 'vg0/db_snap'])).exitCode, 5, 'no snapshots of snapshots');
  const [vg] = await report(h);
  const snap = vg!.lv!.find((l) => l.lv_name === 'db_snap')!;
  assert.deepEqual([snap.origin, snap.lv_size, snap.lv_attr[0]], ['db', String(2 * 1024 ** 3), 's']);
  assert.equal(vg!.lv!.find((l) => l.lv_name === 'db')!.lv_attr[0], 'o');
  const dev = await h.exec(['blkid', '-p', '/dev/vg0/db_snap']);
  assert.equal(dev.exitCode, 2, 'the snapshot device exists (no signature on it)');
  const shrink = await h.exec(['lvreduce', '-f', '-L', '10G', 'vg0/db']);
  assert.match(shrink.stderr, /Snapshot origin volumes cannot be reduced/);
  assert.match((await h.exec(['lvremove', 'vg0/db'])).stderr, /Removing origin db will also remove 1 snapshots\(s\)\. Proceed\? \[y\/n\]: \[n\]/);
  await run(h, 'lvremove', '-f', 'vg0/db');
  assert.deepEqual((await report(h))[0]!.lv, []);
});

test('a pulled PV leaves the VG partial and its LVs partial; plugged back, all is well again', async () => {
  const h = createSimHost();
  await run(h, 'vgcreate', 'vg0', '/dev/sdb', '/dev/sdc');
  await run(h, 'lvcreate', '-L', '1.5T', '-n', 'big', 'vg0');
  await h.control.disk('unplug', '/dev/sdc');
  const [vg] = await report(h);
  assert.equal(vg!.vg![0]!.vg_missing_pv_count, '1');
  assert.equal(vg!.pv!.find((p) => p.pv_missing === 'missing')!.pv_name, '[unknown]');
  assert.equal(vg!.lv![0]!.lv_health_status, 'partial');
  await h.control.disk('plug', '/dev/sdc');
  const [again] = await report(h);
  assert.equal(again!.lv![0]!.lv_health_status, '');
});

test('refusals: pvcreate over a held disk, a name lvm2 reserves, too little space; a machine without LVM has no lvm (127)', async () => {
  const h = createSimHost();
  await run(h, 'mdadm', '--create', '/dev/md0', '--run', '--level=raid1', '--raid-devices=2', '/dev/sdb', '/dev/sdc');
  const held = await h.exec(['pvcreate', '/dev/sdb']);
  assert.equal(held.exitCode, 5);
  assert.match(held.stderr, /Can't open \/dev\/sdb exclusively/);
  await run(h, 'vgcreate', 'vg0', '/dev/md0');
  const reserved = await h.exec(['lvcreate', '-L', '1G', '-n', 'a_corig', 'vg0']);
  assert.equal(reserved.exitCode, 3);
  const big = await h.exec(['lvcreate', '-L', '2T', '-n', 'big', 'vg0']);
  assert.equal(big.exitCode, 5);
  assert.match(big.stderr, /insufficient free space \(\d+ extents\): 524288 required/);
  const none = createSimHost({ hardware: { hostname: 'x', blockDevices: [], fcPorts: [], srpPorts: [], fcoePorts: [], scsiDevices: [], lacks: ['lvm'] } });
  assert.equal((await none.exec(['lvm', 'fullreport', '--reportformat', 'json'])).exitCode, 127);
});
