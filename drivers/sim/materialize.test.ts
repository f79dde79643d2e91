import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimHost } from './index.js';
import { materialize } from './materialize.js';
import { createLocalHost } from '../../reconciler/host/local.js';

const S = '/sys/kernel/scst_tgt';

test('materialize writes the emulated tree as files, dirs and relative links a LocalHost reads back identically', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-mat-'));
  try {
    const img = join(dir, 'd1.img');
    writeFileSync(img, Buffer.alloc(1 << 20));
    const sim = createSimHost();
    await sim.sysfs.mgmt(`${S}/handlers/vdisk_fileio/mgmt`, `add_device d1 filename=${img}`);
    await sim.sysfs.mgmt(`${S}/targets/iscsi/mgmt`, 'add_target iqn.2026-01.com.example:t1');
    await sim.sysfs.mgmt(`${S}/targets/iscsi/iqn.2026-01.com.example:t1/luns/mgmt`, 'add d1 0');
    const out = join(dir, 'out');
    const r = await materialize(sim, out);
    assert.ok(r.dirs > 10 && r.files > 50 && r.links >= 3, JSON.stringify(r));
    assert.equal(readlinkSync(join(out, 'devices/d1/handler')), '../../handlers/vdisk_fileio');
    assert.equal(readlinkSync(join(out, 'targets/iscsi/iqn.2026-01.com.example:t1/luns/0/device')), '../../../../../devices/d1');
    assert.match(readFileSync(join(out, 'handlers/vdisk_fileio/mgmt'), 'utf8'), /The following parameters available:/);
    assert.equal(lstatSync(join(out, 'last_sysfs_mgmt_res')).mode & 0o777, 0o444);
    // the snapshot reads back as the emulator's own tree, entry for entry
    const local = createLocalHost({ sysfsRoot: out });
    // links are 0777 on Linux (the emulator's walk leaves their mode out); unreadable files are empty
    const norm = (es: Awaited<ReturnType<typeof sim.sysfs.readTree>>) =>
      es
        .map((e) => [e.path, e.type, e.type === 'link' ? 0o777 : e.mode, e.type === 'link' ? e.target : e.error ? '' : e.content])
        .sort((x, y) => (x[0]! < y[0]! ? -1 : 1));
    assert.deepEqual(norm(await local.sysfs.readTree(S)), norm(await sim.sysfs.readTree(S)));
    await assert.rejects(materialize(sim, out), { code: 'MATERIALIZE_TARGET_NOT_EMPTY' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
