/** The btier emulator: btier_setup create/assemble/detach and the tier sysfs attributes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isErrno } from '../../../reconciler/core/errors.js';
import { MemoryDisks } from '../../sim/block-devices.js';
import { BtierEmulator, initialBtierState } from './index.js';

const GiB = 1024 ** 3;
const fresh = (loaded = true) =>
  new BtierEmulator(MemoryDisks.of([{ path: '/dev/nvme0n1p3', sizeBytes: GiB }, { path: '/dev/md0', sizeBytes: 8 * GiB }, { path: '/dev/tiny', sizeBytes: 4096 }]), initialBtierState(loaded));

describe('btier emulator', () => {
  it('creates sdtiera over its members, fastest first, with btier.h defaults', () => {
    const e = fresh();
    const r = e.exec(['btier_setup', '-f', '/dev/nvme0n1p3:/dev/md0', '-c']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(e.fs.read('block/sdtiera/tier/attacheddevices'), '2\n');
    assert.equal(e.fs.read('block/sdtiera/tier/migration_interval'), '14400\n');
    assert.match(e.fs.read('block/sdtiera/tier/migration_policy'), /^\s+0\s+nvme0n1p3\s+86400\s+43200$/m);
    assert.deepEqual(e.disks.holders('/dev/md0'), ['sdtiera']);
    assert.equal(e.disks.signature('/dev/md0')?.type, 'btier');
    assert.equal(Number(e.fs.read('block/sdtiera/tier/size_in_blocks')), 1024 - 2 + 8192 - 2);
  });

  it('re-assembles only members that carry the magic; names follow assembly order', () => {
    const e = fresh();
    const r = e.exec(['btier_setup', '-f', '/dev/nvme0n1p3:/dev/md0']);
    assert.equal(r.exitCode, 255);
    assert.match(r.stderr, /Datastore \/dev\/nvme0n1p3 has invalid magic, not a tier device/);
    assert.equal(e.exec(['btier_setup', '-f', '/dev/nvme0n1p3:/dev/md0', '-c']).exitCode, 0);
    assert.equal(e.exec(['btier_setup', '-d', '/dev/sdtiera']).exitCode, 0);
    assert.equal(e.disks.get('/dev/sdtiera'), undefined);
    assert.equal(e.exec(['btier_setup', '-f', '/dev/nvme0n1p3:/dev/md0']).exitCode, 0);
    assert.ok(e.disks.get('/dev/sdtiera'));
  });

  it('refuses a busy member, a too small one, a missing module and an in-use detach', () => {
    const e = fresh();
    assert.match(e.exec(['btier_setup', '-f', '/dev/tiny', '-c']).stderr, /is to small/);
    assert.equal(e.exec(['btier_setup', '-f', '/dev/nvme0n1p3:/dev/md0', '-c']).exitCode, 0);
    assert.equal(e.exec(['btier_setup', '-f', '/dev/md0', '-c']).exitCode, 255);
    e.disks.add({ path: '/dev/dm-9', sizeBytes: GiB }, ['/dev/sdtiera']);
    assert.match(e.exec(['btier_setup', '-d', '/dev/sdtiera']).stderr, /Failed to deregister active device/);
    assert.match(fresh(false).exec(['btier_setup', '-f', '/dev/md0', '-c']).stderr, /is tier.ko loaded/);
    assert.equal(fresh().exec(['btier_setup']).exitCode, 255);
  });

  it('parses attribute writes the way btier_sysfs.c does', () => {
    const e = fresh();
    e.exec(['btier_setup', '-f', '/dev/nvme0n1p3:/dev/md0', '-c']);
    const base = 'block/sdtiera/tier';
    assert.throws(() => e.fs.write(`${base}/migration_interval`, '0'), (x) => isErrno(x, 'ENOMSG'));
    assert.throws(() => e.fs.write(`${base}/migration_interval`, 'soon'), (x) => isErrno(x, 'ENOMSG'));
    e.fs.write(`${base}/migration_interval`, '3600\n');
    assert.equal(e.fs.read(`${base}/migration_interval`), '3600\n');
    e.fs.write(`${base}/migration_enable`, 'x'); // ignored, not refused
    assert.equal(e.fs.read(`${base}/migration_enable`), '1\n');
    assert.throws(() => e.fs.write(`${base}/sequential_landing`, '2'), (x) => isErrno(x, 'ENOMSG'));
    assert.throws(() => e.fs.write(`${base}/migration_policy`, '1 sdb 10 10'), (x) => isErrno(x, 'ENOMSG'));
    e.fs.write(`${base}/migration_policy`, '1 md0 7200 600');
    assert.match(e.fs.read(`${base}/migration_policy`), /^\s+1\s+md0\s+7200\s+600$/m);
  });
});
