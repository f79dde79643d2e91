/**
 * Unmodified tools against the mounted emulator: bash `echo > mgmt`, cat, ls -l. What the shell
 * does through the mount must land in the shared machine (checked through a SimHost).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { openSimHost } from '../../drivers/sim/index.js';
import { fuseSkip, mountFreshSim, type SimMount } from './fixture.js';

const skip = fuseSkip();

describe('shell tools over the FUSE mount', { skip, timeout: 60_000 }, () => {
  let f: SimMount;
  let img: string;
  const sh = (script: string) => execa('bash', ['-c', script], { cwd: f.mnt, reject: false, timeout: 10_000, env: { IMG: img } });
  before(async () => {
    f = await mountFreshSim();
    img = join(f.dir, 'x.img');
    writeFileSync(img, Buffer.alloc(1 << 20));
  });
  after(async () => f && (await f.cleanup()));

  test('echo "add_device ..." > mgmt creates the device, in the shared machine', async () => {
    const r = await sh('echo "add_device d1 filename=$IMG" > handlers/vdisk_fileio/mgmt && test -d devices/d1');
    assert.equal(r.exitCode, 0, r.stderr);
    const host = await openSimHost(f.sim);
    assert.ok(await host.sysfs.exists('/sys/kernel/scst_tgt/devices/d1'));
    // a second identical write fails, so the first echo was exactly one command
    const again = await sh('echo "add_device d1 filename=$IMG" > handlers/vdisk_fileio/mgmt');
    assert.equal(again.exitCode, 1);
    assert.match(again.stderr, /File exists/);
  });

  test('a bad command fails with "Invalid argument"', async () => {
    const r = await sh('echo bad > handlers/vdisk_fileio/mgmt');
    assert.equal(r.exitCode, 1);
    assert.match(r.stderr, /Invalid argument/);
  });

  test('cat shows an attribute value with its [key] line, and mgmt help text', async () => {
    const r = await sh('cat devices/d1/filename');
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout.split('\n')[0], img);
    assert.ok(r.stdout.split('\n').includes('[key]'), r.stdout);
    const help = await sh('cat handlers/vdisk_fileio/mgmt');
    assert.match(help.stdout, /The following parameters available:/);
  });

  test('ls -l shows relative symlinks', async () => {
    const r = await sh('ls -l devices/d1/handler handlers/vdisk_fileio/d1');
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^l.* devices\/d1\/handler -> \.\.\/\.\.\/handlers\/vdisk_fileio$/m);
    assert.match(r.stdout, /^l.* handlers\/vdisk_fileio\/d1 -> \.\.\/\.\.\/devices\/d1$/m);
  });

  test('permissions as in sysfs: writing a read-only file and reading a write-only one are refused', async () => {
    const ro = await sh('echo 1 > last_sysfs_mgmt_res');
    assert.equal(ro.exitCode, 1);
    assert.match(ro.stderr, /Permission denied/);
    const wo = await sh('cat devices/d1/resync_size');
    assert.equal(wo.exitCode, 1);
    assert.match(wo.stderr, /Permission denied/);
    const create = await sh('echo x > devices/d1/newfile');
    assert.match(create.stderr, /Permission denied/);
  });

  test('writing an attribute with > (O_TRUNC) works and reads back', async () => {
    const r = await sh('echo ACME > devices/d1/t10_vend_id && cat devices/d1/t10_vend_id');
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, 'ACME\n[key]'); // execa strips the final newline
  });
});

