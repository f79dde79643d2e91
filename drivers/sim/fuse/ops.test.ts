/** The FUSE operations over the real SCST emulator, called as fuse-native would (no mount). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants } from 'node:fs';
import { constants as os } from 'node:os';
import { createSimHost } from '../index.js';
import { fuseOps, negErrno } from './ops.js';
import { ErrnoError } from '../../../reconciler/core/errors.js';

const call = <T extends unknown[]>(fn: (...a: [...T, (...r: unknown[]) => void]) => void, ...args: T): Promise<unknown[]> =>
  new Promise((r) => fn(...args, (...res: unknown[]) => r(res)));

function setup() {
  const sim = createSimHost();
  return { sim, ops: fuseOps(sim.scstFs(), { time: new Date(0) }) };
}

test('negErrno maps ErrnoError and fs codes to negative errnos, else EIO', () => {
  assert.equal(negErrno(new ErrnoError('EINVAL')), -os.errno.EINVAL);
  assert.equal(negErrno(Object.assign(new Error(), { code: 'EEXIST' })), -os.errno.EEXIST);
  assert.equal(negErrno(new Error('boom')), -os.errno.EIO);
  assert.equal(negErrno(new ErrnoError('EBADSLT')), -57); // not in Node's errno list
});

test('getattr gives type bits, permissions and the size a read returns; ENOENT as a negative errno', async () => {
  const { ops } = setup();
  const [code, st] = (await call(ops.getattr, '/handlers/vdisk_fileio/mgmt')) as [number, { mode: number; size: number }];
  assert.equal(code, 0);
  assert.equal(st.mode & constants.S_IFMT, constants.S_IFREG);
  assert.ok(st.size > 100);
  const [dcode, dst] = (await call(ops.getattr, '/')) as [number, { mode: number }];
  assert.deepEqual([dcode, dst.mode & constants.S_IFMT], [0, constants.S_IFDIR]);
  assert.deepEqual(await call(ops.getattr, '/nope'), [-os.errno.ENOENT]);
});

test('a write is one emulator command; errors come back as negative errnos', async () => {
  const { sim, ops } = setup();
  const [, fd] = (await call(ops.open, '/handlers/vdisk_nullio/mgmt', constants.O_WRONLY)) as [number, number];
  const cmd = Buffer.from('add_device n1 ');
  const w = (b: Buffer) => new Promise<number>((r) => ops.write('/handlers/vdisk_nullio/mgmt', fd, b, b.length, 0, r));
  assert.equal(await w(cmd), cmd.length);
  assert.equal(await w(cmd), -os.errno.EEXIST);
  assert.equal(await w(Buffer.from('bad')), -os.errno.EINVAL);
  assert.ok(await sim.sysfs.exists('/sys/kernel/scst_tgt/devices/n1'));
});

test('open checks the mode like kernfs: EACCES writing 0444, reading 0200; EISDIR writing a dir', async () => {
  const { ops } = setup();
  assert.deepEqual(await call(ops.open, '/last_sysfs_mgmt_res', constants.O_WRONLY), [-os.errno.EACCES]);
  assert.deepEqual(await call(ops.open, '/devices', constants.O_RDWR), [-os.errno.EISDIR]);
  const [code] = await call(ops.open, '/version', constants.O_RDONLY);
  assert.equal(code, 0);
});

test('read takes the content once per open and serves slices of it', async () => {
  const { ops } = setup();
  const [, fd] = (await call(ops.open, '/handlers/vdisk_fileio/mgmt', constants.O_RDONLY)) as [number, number];
  const buf = Buffer.alloc(10);
  const r = (pos: number) => new Promise<number>((res) => ops.read('/handlers/vdisk_fileio/mgmt', fd, buf, 10, pos, res));
  assert.equal(await r(0), 10);
  assert.equal(buf.toString(), 'Usage: ech');
  assert.equal(await r(100000), 0);
  await call(ops.release, '/handlers/vdisk_fileio/mgmt', fd);
});

test('truncate is a no-op on writable files and EACCES on read-only ones; sysfs refuses create and mkdir', async () => {
  const { ops } = setup();
  assert.deepEqual(await call(ops.truncate, '/handlers/vdisk_fileio/mgmt', 0), [0, undefined]);
  assert.deepEqual(await call(ops.truncate, '/version', 0), [-os.errno.EACCES]);
  assert.deepEqual(await call(ops.create, '/newfile', 0o644), [-os.errno.EACCES]);
  assert.deepEqual(await call(ops.mkdir, '/newdir', 0o755), [-os.errno.EPERM]);
});

test('readdir returns names with stats (for d_type); readlink returns relative targets', async () => {
  const { sim, ops } = setup();
  await sim.sysfs.mgmt('/sys/kernel/scst_tgt/handlers/vdisk_nullio/mgmt', 'add_device n1');
  const [code, names, stats] = (await call(ops.readdir, '/devices/n1')) as [number, string[], Array<{ mode: number }>];
  assert.equal(code, 0);
  assert.equal(names.length, stats.length);
  assert.equal(stats[names.indexOf('handler')]!.mode & constants.S_IFMT, constants.S_IFLNK);
  assert.deepEqual(await call(ops.readlink, '/devices/n1/handler'), [0, '../../handlers/vdisk_nullio']);
});
