import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHardware, initSimDir } from '../drivers/sim/index.js';
import { openHost } from './host.js';

test('openHost: local, local:DIR relative to cwd, sim:DIR, and a coded error otherwise', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-openhost-'));
  try {
    assert.equal((await openHost('local', { cwd: dir })).id, 'local');
    assert.equal((await openHost('local:mnt', { cwd: dir })).id, `local:${join(dir, 'mnt')}`);
    await initSimDir(join(dir, 'sim'), defaultHardware());
    const sim = await openHost('sim:sim', { cwd: dir });
    assert.equal(sim.id, `sim:${join(dir, 'sim')}`);
    assert.ok((await sim.sysfs.list('/sys/kernel/scst_tgt')).includes('handlers'));
    await sim.close?.();
    await assert.rejects(openHost('nfs:x', { cwd: dir }), { code: 'HOST_SPEC_INVALID' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
