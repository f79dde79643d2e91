/**
 * A partial failure leaves the rest reachable: one iSCSI target whose device cannot be created
 * (its backing file is missing) is skipped with its LUNs, while the driver is still enabled (it
 * only follows its targets, §8.2) and the other target serves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHardware, initSimDir, openSimHost } from '../../drivers/sim/index.js';
import { runCli } from './cli-run.js';

test('a device that cannot be created skips its own target, not the iSCSI driver or the other targets', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-partial-'));
  try {
    await initSimDir(join(dir, 'sim'), defaultHardware());
    writeFileSync(join(dir, 'sanform.yaml'), [
      'version: 1',
      'scst:',
      '  devices:',
      '    good: { handler: vdisk_nullio }',
      `    bad: { handler: vdisk_fileio, filename: ${join(dir, 'missing.img')} }`,
      '  targets:',
      '    iscsi:',
      '      iqn.2026-01.com.example:good: { luns: { 0: good } }',
      '      iqn.2026-01.com.example:bad: { luns: { 0: bad } }',
      '',
    ].join('\n'));
    const r = await runCli(dir, ['apply', '--host', 'sim:sim', '--auto-approve']);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /failed: +create scst\/device\/bad/);
    assert.match(r.out, /skipped: create scst\/target\/iscsi\/iqn\.2026-01\.com\.example:bad\/enabled/);
    assert.doesNotMatch(r.out, /skipped: .*scst\/driver\/iscsi\/enabled/);
    const sim = await openSimHost(join(dir, 'sim'));
    const read = async (p: string) => (await sim.sysfs.read(`/sys/kernel/scst_tgt/targets/iscsi/${p}`)).split('\n')[0]!.trim();
    assert.equal(await read('enabled'), '1');
    assert.equal(await read('iqn.2026-01.com.example:good/enabled'), '1');
    await sim.close?.();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
