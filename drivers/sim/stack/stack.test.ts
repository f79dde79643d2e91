import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultHardware, initSimDir, openSimHost } from '../index.js';

test('the stack is part of a sim:DIR machine: a second opener sees md0, pulled disks come back with their signature', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sanform-stack-'));
  try {
    await initSimDir(dir, defaultHardware());
    const a = await openSimHost(dir);
    const b = await openSimHost(dir);
    assert.deepEqual((await b.sysfs.list('/sys/block')).filter((n) => n.startsWith('sd')), ['sdb', 'sdc', 'sdd', 'sde', 'sdf', 'sdg', 'sdh']);
    const r = await a.exec(['mdadm', '--create', '/dev/md/data', '--run', '--level=raid1', '--raid-devices=2', '/dev/sdb', '/dev/sdc']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.deepEqual(await b.sysfs.list('/sys/block/sdb/holders'), ['md127']);
    const all = await b.exec(['blkid', '-c', '/dev/null', '-o', 'export']);
    assert.equal(all.stdout.match(/TYPE=linux_raid_member/g)?.length, 2);
    const wf = await b.exec(['wipefs', '-n', '/dev/sdb']);
    assert.match(wf.stdout, /^sdb\s+0x1000\s+linux_raid_member/m);
    await a.control.disk('unplug', '/dev/sdc');
    assert.equal((await b.sysfs.read('/sys/block/md127/md/degraded')).trim(), '1');
    assert.equal(await b.sysfs.exists('/sys/block/sdc'), false);
    await b.control.disk('plug', '/dev/sdc');
    assert.match((await a.exec(['blkid', '-p', '-o', 'export', '/dev/sdc'])).stdout, /TYPE=linux_raid_member/);
    assert.equal((await a.exec(['blkid', '-p', '-o', 'export', '/dev/sdd'])).exitCode, 2, 'a blank disk has no signature');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
