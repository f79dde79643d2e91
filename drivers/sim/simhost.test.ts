import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimHost, initSimDir, openSimHost, defaultHardware } from './index.js';
import { isErrno } from '../../reconciler/core/errors.js';

const R = '/sys/kernel/scst_tgt';

test('in-memory SimHost: mgmt, attribute reads, errno from a failed mgmt', async () => {
  const h = createSimHost();
  await h.sysfs.mgmt(`${R}/handlers/vdisk_nullio/mgmt`, 'add_device n0 dummy=1');
  assert.equal(await h.sysfs.read(`${R}/devices/n0/dummy`), '1\n[key]\n');
  await assert.rejects(h.sysfs.mgmt(`${R}/handlers/vdisk_nullio/mgmt`, 'add_device n0'), (e) => isErrno(e, 'EEXIST'));
  assert.equal(await h.hostname(), 'esos-sim');
  assert.equal(await h.sysfs.exists(`${R}/devices/n1`), false);
  const r = await h.exec(['mdadm-unknown-tool', '--detail']);
  assert.equal(r.exitCode, 127);
  await h.close();
});

test('async mode: mgmt polls last_sysfs_mgmt_res and reports the real errno', async () => {
  const h = createSimHost();
  await h.control.asyncMode(true);
  await h.sysfs.mgmt(`${R}/handlers/vdisk_nullio/mgmt`, 'add_device n0');
  assert.ok(await h.sysfs.exists(`${R}/devices/n0`));
  await assert.rejects(h.sysfs.mgmt(`${R}/handlers/vdisk_nullio/mgmt`, 'add_device n0'), (e) => isErrno(e, 'EEXIST'));
});

test('persistent SimHost: two instances on one DIR see one machine', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-sim-'));
  try {
    await initSimDir(dir, defaultHardware());
    const a = await openSimHost(dir);
    const b = await openSimHost(dir);
    await a.sysfs.mgmt(`${R}/handlers/vdisk_blockio/mgmt`, 'add_device d1 filename=/dev/sdb');
    assert.equal(await b.sysfs.read(`${R}/devices/d1/filename`), '/dev/sdb\n[key]\n\n');
    await b.sysfs.mgmt(`${R}/handlers/vdisk_blockio/mgmt`, 'del_device d1');
    assert.equal(await a.sysfs.exists(`${R}/devices/d1`), false);
    await a.files.writeAtomic('/etc/x.conf', 'hi');
    assert.equal(await b.files.read('/etc/x.conf'), 'hi');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('persistent SimHost: compaction folds the log into a snapshot that other instances reload', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-sim-'));
  try {
    await initSimDir(dir, defaultHardware());
    const a = await openSimHost(dir, { compactEvery: 50 });
    const b = await openSimHost(dir);
    await a.sysfs.mgmt(`${R}/handlers/vdisk_nullio/mgmt`, 'add_device first');
    assert.equal(await b.sysfs.exists(`${R}/devices/first`), true);
    for (let i = 0; i < 120; i++) await a.sysfs.mgmt(`${R}/handlers/vdisk_nullio/mgmt`, `add_device d${i}`);
    const { readdirSync } = await import('node:fs');
    assert.deepEqual(readdirSync(join(dir, 'machine')).filter((f) => f.startsWith('log-')), ['log-2.jsonl']);
    const devs = await b.sysfs.list(`${R}/devices`);
    assert.equal(devs.length, 2 + 1 + 120);
    await b.sysfs.mgmt(`${R}/handlers/vdisk_nullio/mgmt`, 'del_device d5');
    assert.equal(await a.sysfs.exists(`${R}/devices/d5`), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('persistent SimHost: replay never re-checks backing stores', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-sim-'));
  const { writeFileSync, unlinkSync } = await import('node:fs');
  const img = join(dir, 'disk.img');
  writeFileSync(img, Buffer.alloc(8192));
  try {
    await initSimDir(dir, defaultHardware());
    const a = await openSimHost(dir);
    await a.sysfs.mgmt(`${R}/handlers/vdisk_fileio/mgmt`, `add_device f0 filename=${img}`);
    unlinkSync(img);
    const b = await openSimHost(dir);
    assert.equal(await b.sysfs.read(`${R}/devices/f0/size`), '8192\n[key]\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('persistent SimHost: resetSimDir gives every open instance a fresh machine', async () => {
  const { resetSimDir } = await import('./index.js');
  const dir = mkdtempSync(join(tmpdir(), 'sanform-sim-'));
  try {
    await initSimDir(dir, defaultHardware());
    const a = await openSimHost(dir);
    for (let i = 0; i < 5; i++) await a.sysfs.mgmt(`${R}/handlers/vdisk_nullio/mgmt`, `add_device d${i}`);
    resetSimDir(dir);
    assert.equal(await a.sysfs.exists(`${R}/devices/d0`), false);
    await a.sysfs.mgmt(`${R}/handlers/vdisk_nullio/mgmt`, 'add_device d0');
    const b = await openSimHost(dir);
    assert.equal(await b.sysfs.exists(`${R}/devices/d0`), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
