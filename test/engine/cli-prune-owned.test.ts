/**
 * Issue 9: prune deletes only what sanform created or adopted. An object someone else made is
 * reported as unmanaged and left alone, until the file asks for policy.prune: all; the inventory
 * survives in the host's state directory between runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHardware, initSimDir } from '../../drivers/sim/index.js';
import { runCli } from './cli-run.js';

const file = (devices: string[], prune?: string): string =>
  `version: 1\nscst:\n  devices:\n${devices.map((d) => `    ${d}: { handler: vdisk_nullio, dummy: true }\n`).join('')}${prune ? `policy:\n  prune: ${prune}\n` : ''}`;

test('prune deletes what sanform made, reports what it did not, and deletes that only with prune: all', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-prune-'));
  try {
    const sim = join(dir, 'sim');
    await initSimDir(sim, defaultHardware());
    const args = ['-c', 'sanform.yaml', '--host', `sim:${sim}`];
    const apply = async (yaml: string) => {
      writeFileSync(join(dir, 'sanform.yaml'), yaml);
      const r = await runCli(dir, ['apply', ...args, '--auto-approve']);
      assert.equal(r.code, 0, r.out + r.err);
      return r;
    };
    const plan = async (yaml: string) => {
      writeFileSync(join(dir, 'sanform.yaml'), yaml);
      const r = await runCli(dir, ['plan', ...args, '--json']);
      assert.equal(r.code, 0, r.err);
      return JSON.parse(r.out) as { changes: { address: string; action: string }[]; unmanaged?: { address: string }[] };
    };
    // someone else's device: made, then forgotten by sanform (its inventory removed)
    await apply(file(['hand']));
    rmSync(join(sim, 'state', 'inventory.json'));

    await apply(file(['d0', 'd1']));
    const p1 = await plan(file(['d0']));
    assert.deepEqual(p1.changes.map((c) => `${c.action} ${c.address}`), ['delete scst/device/d1'], 'only what sanform made is pruned');
    assert.deepEqual(p1.unmanaged?.map((u) => u.address), ['scst/device/hand']);
    const text = await apply(file(['d0']));
    assert.match(text.out, /unmanaged \(not in the file, not created or adopted by sanform; left alone\): scst\/device\/hand/);

    const p2 = await plan(file(['d0']));
    assert.equal(p2.changes.length, 0, 'converged; hand is still there and left alone');
    assert.deepEqual(p2.unmanaged?.map((u) => u.address), ['scst/device/hand']);

    const p3 = await plan(file(['d0'], 'all'));
    assert.deepEqual(p3.changes.map((c) => `${c.action} ${c.address}`), ['delete scst/device/hand'], 'prune: all deletes it');
    assert.equal(p3.unmanaged, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('drift lists an unmanaged object as operator drift and never corrects it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-prune-'));
  try {
    const sim = join(dir, 'sim');
    await initSimDir(sim, defaultHardware());
    const args = ['-c', 'sanform.yaml', '--host', `sim:${sim}`];
    writeFileSync(join(dir, 'sanform.yaml'), file(['d0', 'hand']));
    assert.equal((await runCli(dir, ['apply', ...args, '--auto-approve'])).code, 0);
    rmSync(join(sim, 'state', 'inventory.json'));
    writeFileSync(join(dir, 'sanform.yaml'), file(['d0']));
    const d = await runCli(dir, ['drift', ...args, '--json']);
    assert.equal(d.code, 2, d.err);
    const out = JSON.parse(d.out) as { drift: unknown[]; unmanaged?: { address: string; driftClass: string }[] };
    assert.deepEqual(out.unmanaged?.map((u) => [u.address, u.driftClass]), [['scst/device/hand', 'operator']]);
    assert.equal(out.drift.length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
