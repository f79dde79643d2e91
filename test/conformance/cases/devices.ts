import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Case, Env } from '../helpers.js';
import { errnoOf, exists, mgmt, put, read, readlink } from '../helpers.js';

const FILEIO = 'handlers/vdisk_fileio/mgmt';
const BLOCKIO = 'handlers/vdisk_blockio/mgmt';
const NULLIO = 'handlers/vdisk_nullio/mgmt';

/** Runs `fn` with a real 1 MiB backing file and a real directory (the emulator stats them). */
async function withFiles(fn: (file: string, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-conf-'));
  const file = join(dir, 'disk.img');
  writeFileSync(file, Buffer.alloc(1024 * 1024));
  try {
    await fn(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const deviceCases: Case[] = [
  {
    title: '§1.3.2 filename is required for fileio/blockio and must be absolute',
    async run(env) {
      assert.equal(await errnoOf(mgmt(env, BLOCKIO, 'add_device b0 blocksize=4096')), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, BLOCKIO, 'add_device b0 filename=dev/sdb')), 'EINVAL');
      assert.equal(await exists(env, 'devices/b0'), false);
    },
  },
  {
    title: '§1.3.2 a missing backing store fails add_device with ENOENT, a directory with EINVAL',
    async run(env) {
      await withFiles(async (file, dir) => {
        assert.equal(await errnoOf(mgmt(env, FILEIO, `add_device f0 filename=${file}.missing`)), 'ENOENT');
        assert.equal(await errnoOf(mgmt(env, FILEIO, `add_device f0 filename=${dir}`)), 'EINVAL');
        assert.equal(await errnoOf(mgmt(env, BLOCKIO, 'add_device b0 filename=/dev/sdz')), 'ENOENT');
        await mgmt(env, FILEIO, `add_device f0 filename=${file}`);
        assert.equal(await read(env, 'devices/f0/size'), '1048576\n[key]\n');
      });
    },
  },
  {
    title: '§1.3.2 active=0 opens nothing; active=1 later opens the store and can fail',
    async run(env) {
      await withFiles(async (file) => {
        await mgmt(env, FILEIO, `add_device f0 filename=${file}.later; active=0`);
        assert.equal(await read(env, 'devices/f0/active'), '0\n[key]\n');
        assert.equal(await errnoOf(put(env, 'devices/f0/active', '1')), 'ENOENT');
        writeFileSync(`${file}.later`, Buffer.alloc(4096));
        await put(env, 'devices/f0/active', '1');
        assert.equal(await read(env, 'devices/f0/size'), '4096\n[key]\n');
      });
    },
  },
  {
    title: '§8.2 vdisk filename can only change while active=0',
    async run(env) {
      await mgmt(env, BLOCKIO, 'add_device b0 filename=/dev/sdb');
      assert.equal(await errnoOf(put(env, 'devices/b0/filename', '/dev/sdc')), 'EINVAL');
      await put(env, 'devices/b0/active', '0');
      await put(env, 'devices/b0/filename', '/dev/sdc');
      await put(env, 'devices/b0/active', '1');
      assert.equal(await read(env, 'devices/b0/filename'), '/dev/sdc\n[key]\n\n');
    },
  },
  {
    title: '§1.3.2 device names: no / or ., at most 64 characters, unique (EEXIST)',
    async run(env) {
      assert.equal(await errnoOf(mgmt(env, NULLIO, 'add_device a.b')), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, NULLIO, `add_device ${'x'.repeat(65)}`)), 'EINVAL');
      await mgmt(env, NULLIO, `add_device ${'x'.repeat(64)}`);
      await mgmt(env, NULLIO, 'add_device n0');
      assert.equal(await errnoOf(mgmt(env, BLOCKIO, 'add_device n0 filename=/dev/sdb')), 'EEXIST');
    },
  },
  {
    title: '§1.3.2 fileio rejects read_only with write_through and o_direct without async',
    async run(env) {
      assert.equal(await errnoOf(mgmt(env, FILEIO, 'add_device f0 filename=/dev/sdb; read_only=1; write_through=1')), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, FILEIO, 'add_device f0 filename=/dev/sdb; o_direct=1')), 'EINVAL');
      await mgmt(env, FILEIO, 'add_device f0 filename=/dev/sdb; o_direct=1; async=1');
      assert.equal(await read(env, 'devices/f0/o_direct'), '1\n[key]\n');
    },
  },
  {
    title: '§1.3.2 blocksize below 512 is EINVAL, a non power of two is rounded down',
    async run(env) {
      assert.equal(await errnoOf(mgmt(env, NULLIO, 'add_device n0 blocksize=256')), 'EINVAL');
      await mgmt(env, NULLIO, 'add_device n0 blocksize=5000');
      assert.equal(await read(env, 'devices/n0/blocksize'), '4096\n[key]\n');
    },
  },
  {
    title: '§1.3.3 default identifiers come from raw CRC32C of the name (disk01 -> 27cddc71)',
    async run(env) {
      await mgmt(env, BLOCKIO, 'add_device disk01 filename=/dev/sdb');
      assert.equal(await read(env, 'devices/disk01/usn'), '27cddc71\n');
      assert.equal(await read(env, 'devices/disk01/t10_dev_id'), '27cddc71-disk01\n');
      assert.equal(await read(env, 'devices/disk01/prod_id'), 'disk01\n');
      assert.equal(await read(env, 'devices/disk01/t10_vend_id'), 'SCST_BIO\n');
    },
  },
  {
    title: '§1.3.3 setup_id is used at creation time only',
    async run(env) {
      await mgmt(env, NULLIO, 'add_device before');
      await put(env, 'setup_id', '0x5a01');
      assert.equal(await read(env, 'setup_id'), '0x5a01\n[key]\n');
      await mgmt(env, NULLIO, 'add_device disk01');
      assert.equal(await read(env, 'devices/disk01/usn'), '5a0127cddc71\n');
      assert.ok(!(await read(env, 'devices/before/usn')).startsWith('5a01'));
    },
  },
  {
    title: '§3.1 filename prints an extra blank line after [key]',
    async run(env) {
      await mgmt(env, BLOCKIO, 'add_device b0 filename=/dev/sdb');
      assert.equal(await read(env, 'devices/b0/filename'), '/dev/sdb\n[key]\n\n');
    },
  },
  {
    title: '§3.1 size is key (except nullio at its default), size_mb never',
    async run(env) {
      await mgmt(env, BLOCKIO, 'add_device b0 filename=/dev/sdb');
      assert.equal(await read(env, 'devices/b0/size'), '1099511627776\n[key]\n');
      assert.equal(await read(env, 'devices/b0/size_mb'), '1048576\n');
      await mgmt(env, NULLIO, 'add_device n0');
      assert.equal(await read(env, 'devices/n0/size'), '2748779069440\n');
      await mgmt(env, NULLIO, 'add_device n1 size_mb=100');
      assert.equal(await read(env, 'devices/n1/size'), `${100 * 1024 * 1024}\n[key]\n`);
    },
  },
  {
    title: '§3.1 identifiers become key once written, even with the same value',
    async run(env) {
      await mgmt(env, NULLIO, 'add_device n0');
      assert.equal(await read(env, 'devices/n0/prod_id'), 'n0\n');
      await put(env, 'devices/n0/prod_id', 'n0');
      assert.equal(await read(env, 'devices/n0/prod_id'), 'n0\n[key]\n');
      assert.equal(await errnoOf(put(env, 'devices/n0/t10_vend_id', 'TOOLONGVENDOR')), 'EINVAL');
    },
  },
  {
    title: '§8.2 t10_dev_id writes are EPERM while cluster_mode=1',
    async run(env) {
      await mgmt(env, NULLIO, 'add_device n0');
      await put(env, 'devices/n0/t10_dev_id', 'abc');
      await put(env, 'devices/n0/cluster_mode', '1');
      assert.equal(await errnoOf(put(env, 'devices/n0/t10_dev_id', 'def')), 'EPERM');
      assert.equal(await read(env, 'devices/n0/t10_dev_id'), 'abc\n[key]\n');
    },
  },
  {
    // vdisk_del_device/vcdrom_del_device look the name up with vdev_find() in the vdev_list all
    // vdisk handlers share (scst_vdisk.c): any vdisk handler's mgmt deletes any vdisk device
    title: '§4.2 del_device of an unknown device is EINVAL; through another vdisk handler it deletes the device',
    async run(env) {
      assert.equal(await errnoOf(mgmt(env, NULLIO, 'del_device nope')), 'EINVAL');
      await mgmt(env, NULLIO, 'add_device n0');
      assert.equal(await errnoOf(mgmt(env, NULLIO, 'del_device n0 extra')), 'EINVAL');
      await mgmt(env, BLOCKIO, 'del_device n0');
      assert.equal(await exists(env, 'devices/n0'), false);
      await mgmt(env, NULLIO, 'add_device n1');
      await mgmt(env, 'handlers/vcdrom/mgmt', 'del_device n1');
      assert.equal(await exists(env, 'devices/n1'), false);
    },
  },
  {
    title: '§8.1 handler and device links are relative',
    async run(env: Env) {
      await mgmt(env, BLOCKIO, 'add_device b0 filename=/dev/sdb');
      assert.equal(await readlink(env, 'devices/b0/handler'), '../../handlers/vdisk_blockio');
      assert.equal(await readlink(env, 'handlers/vdisk_blockio/b0'), '../../devices/b0');
      assert.equal(await read(env, 'handlers/vdisk_blockio/b0/type'), '0 - Direct-access device (e.g., magnetic disk)\n');
    },
  },
  {
    title: '§1.3.2 vcdrom: writing filename inserts media (opened like a backing store), an empty write ejects',
    async run(env) {
      await mgmt(env, 'handlers/vcdrom/mgmt', 'add_device cd0');
      assert.equal(await read(env, 'devices/cd0/filename'), '\n');
      assert.equal(await errnoOf(put(env, 'devices/cd0/filename', '/dev/sdz')), 'ENOENT');
      await put(env, 'devices/cd0/filename', '/dev/sdd');
      assert.equal(await read(env, 'devices/cd0/filename'), '/dev/sdd\n[key]\n\n');
      await put(env, 'devices/cd0/filename', '\n');
      assert.equal(await read(env, 'devices/cd0/filename'), '\n');
      assert.equal(await errnoOf(mgmt(env, 'handlers/vcdrom/mgmt', 'add_device cd1 filename=/dev/sdd')), 'EINVAL');
    },
  },
  {
    title: '§1.3.1 threads_pool_type takes a case-insensitive prefix and is key when not per_initiator',
    async run(env) {
      await mgmt(env, NULLIO, 'add_device n0');
      assert.equal(await read(env, 'devices/n0/threads_num'), '1\n');
      assert.equal(await read(env, 'devices/n0/threads_pool_type'), 'per_initiator\n');
      await put(env, 'devices/n0/threads_pool_type', 'SH');
      assert.equal(await read(env, 'devices/n0/threads_pool_type'), 'shared\n[key]\n');
      assert.equal(await errnoOf(put(env, 'devices/n0/threads_pool_type', 'bogus')), 'EINVAL');
    },
  },
  {
    title: '§1.3.2 blockio/nullio size is writable (multiple of blocksize), size_mb in MiB; fileio size is read-only',
    async run(env) {
      await mgmt(env, BLOCKIO, 'add_device b0 filename=/dev/sdb; blocksize=4096');
      assert.equal(await errnoOf(put(env, 'devices/b0/size', '1000')), 'EINVAL');
      await put(env, 'devices/b0/size', '8192');
      assert.equal(await read(env, 'devices/b0/size'), '8192\n[key]\n');
      await put(env, 'devices/b0/size_mb', '2');
      assert.equal(await read(env, 'devices/b0/size'), `${2 * 1024 * 1024}\n[key]\n`);
      await put(env, 'devices/b0/resync_size', '1');
      assert.equal(await read(env, 'devices/b0/size_mb'), '1048576\n');
      await mgmt(env, FILEIO, 'add_device f0 filename=/dev/sdc');
      assert.equal(await errnoOf(put(env, 'devices/f0/size', '8192')), 'EACCES');
    },
  },
];
