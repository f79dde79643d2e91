/**
 * The sysfs helper (addon and fallback) through real syscalls on the mounted emulator: SCST's
 * EAGAIN protocol, the deadline, read errors as root (0200 files fail on sysfs even for root, and
 * on the mount), and that readTree sees what the emulator holds.
 */
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fallbackHelper, nativeHelper, type SysfsHelper } from '../../native/index.js';
import { loadAddon } from '../../native/addon.js';
import { openSimHost, type SimHost } from '../../drivers/sim/index.js';
import { fuseSkip, mountFreshSim, resetSim, type SimMount } from './fixture.js';

const skip = fuseSkip();

for (const [name, helper] of [['native', nativeHelper()], ['fallback', fallbackHelper]] as Array<[string, SysfsHelper | undefined]>) {
  const why = skip || (helper ? false : `native addon unavailable: ${loadAddon().reason}`);
  describe(`sysfs helper (${name}) over the FUSE mount`, { skip: why, timeout: 60_000 }, () => {
    let f: SimMount;
    let sim: SimHost;
    let h: SysfsHelper;
    const nullio = () => join(f.mnt, 'handlers/vdisk_nullio/mgmt');
    const res = () => join(f.mnt, 'last_sysfs_mgmt_res');
    before(async () => {
      h = helper!;
      f = await mountFreshSim();
    });
    after(async () => f && (await f.cleanup()));
    beforeEach(async () => {
      resetSim(f.sim);
      sim = await openSimHost(f.sim);
    });

    test('readTree reports 0200 files as EACCES even for root, and matches the emulator entry for entry', async () => {
      await h.mgmt(nullio(), 'add_device n1');
      const tree = await h.readTree(f.mnt);
      const writeOnly = tree.filter((e) => e.mode === 0o200);
      assert.ok(writeOnly.length > 0);
      for (const e of writeOnly) assert.deepEqual(e, { path: e.path, type: 'file', mode: 0o200, error: 'EACCES' });
      const norm = (es: typeof tree) =>
        es.map((e) => `${e.path} ${e.type} ${e.type === 'link' ? e.target : e.error ?? e.content}`).sort();
      assert.deepEqual(norm(tree), norm(await sim.sysfs.readTree('/sys/kernel/scst_tgt')));
    });

    test('EAGAIN from the write: polls the result file until the queued command is done', async () => {
      await sim.control.asyncMode(true);
      await h.mgmt(nullio(), 'add_device a1', { resultFile: res(), pollMs: 1 });
      assert.ok(await sim.sysfs.exists('/sys/kernel/scst_tgt/devices/a1'));
      await assert.rejects(h.mgmt(nullio(), 'add_device a1', { resultFile: res(), pollMs: 1 }), { code: 'EEXIST', stage: 'command' });
    });

    test('without a result file EAGAIN is the answer; past the deadline ETIMEDOUT; readTree shows the pending EAGAIN', async () => {
      await sim.control.asyncMode(true);
      await assert.rejects(h.mgmt(nullio(), 'add_device a2'), { code: 'EAGAIN', stage: 'write' });
      const tree = await h.readTree(f.mnt);
      assert.deepEqual(tree.find((e) => e.path === 'last_sysfs_mgmt_res'), { path: 'last_sysfs_mgmt_res', type: 'file', mode: 0o444, error: 'EAGAIN' });
      await sim.sysfs.read('/sys/kernel/scst_tgt/last_sysfs_mgmt_res'); // the queued work completes
      await assert.rejects(h.mgmt(nullio(), 'add_device a3', { resultFile: res(), timeoutMs: 0 }), { code: 'ETIMEDOUT', stage: 'timeout' });
    });

    test('debug EAGAIN (every write answers EAGAIN): commands still succeed or fail with their own errno', async () => {
      await sim.control.debugEagain(true);
      await h.mgmt(nullio(), 'add_device d1', { resultFile: res(), pollMs: 1 });
      await assert.rejects(h.mgmt(nullio(), 'add_device d1', { resultFile: res(), pollMs: 1 }), { code: 'EEXIST' });
      await assert.rejects(h.mgmt(nullio(), 'bogus d1', { resultFile: res(), pollMs: 1 }), { code: 'EINVAL' });
    });

    test('errnos outside Node\'s list come through by name (EBADSLT)', async () => {
      const t = join(f.mnt, 'targets/iscsi');
      await h.mgmt(join(t, 'mgmt'), 'add_target iqn.2026-01.x:a');
      await h.mgmt(join(t, 'mgmt'), 'add_target iqn.2026-01.x:b');
      await h.mgmt(join(t, 'iqn.2026-01.x:a/rel_tgt_id'), '7');
      await h.mgmt(join(t, 'iqn.2026-01.x:b/rel_tgt_id'), '7');
      await h.mgmt(join(t, 'iqn.2026-01.x:a/enabled'), '1');
      await assert.rejects(h.mgmt(join(t, 'iqn.2026-01.x:b/enabled'), '1'), { code: 'EBADSLT' });
    });
  });
}
