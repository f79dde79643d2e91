import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultHardware, initSimDir, openSimHost } from '../../drivers/sim/index.js';

const child = fileURLToPath(new URL('./fixtures/sim-child.ts', import.meta.url));
const R = '/sys/kernel/scst_tgt';

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

test('two node processes writing concurrently share one machine through the same DIR', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-2proc-'));
  try {
    await initSimDir(dir, defaultHardware());
    const parent = await openSimHost(dir);
    await parent.sysfs.mgmt(`${R}/targets/iscsi/mgmt`, 'add_target iqn.shared:t');
    await parent.sysfs.mgmt(`${R}/handlers/vdisk_nullio/mgmt`, 'add_device p0');
    await parent.sysfs.mgmt(`${R}/targets/iscsi/iqn.shared:t/luns/mgmt`, 'add p0 0');
    const [a, b] = await Promise.all([run([dir, 'a', '60']), run([dir, 'b', '60'])]);
    // each child saw the parent's target and LUN
    assert.equal(JSON.parse(a).luns, 2);
    assert.equal(JSON.parse(b).luns, 2);
    const devices = await parent.sysfs.list(`${R}/devices`);
    for (const p of ['a', 'b']) for (let i = 0; i < 60; i++) assert.ok(devices.includes(`${p}${i}`), `${p}${i}`);
    // copy-manager LUNs were handed out without collisions across processes
    const cm = (await parent.sysfs.list(`${R}/targets/copy_manager/copy_manager_tgt/luns`)).filter((x) => x !== 'mgmt');
    assert.equal(cm.length, 121);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
