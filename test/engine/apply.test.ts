import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { apply, Journal, acquireLock } from '../../reconciler/apply/index.js';
import { plan } from '../../reconciler/plan/index.js';
import { expandDesired, observe } from '../../reconciler/snapshot/index.js';
import { createSecretResolver, fingerprint } from '../../reconciler/secrets.js';
import { createToyHost, type ToyHost } from './toy-kernel.js';
import { toyDriver, toyModel, type ToyModel } from './toy-driver.js';

const kinds = ['toy.disk', 'toy.lun', 'toy.user'];
const secrets = createSecretResolver({ secrets: { s1: { env: 'SANFORM_TOY_SECRET' } }, env: { SANFORM_TOY_SECRET: 'hunter2' }, fingerprint });

async function planFor(host: ToyHost, m: ToyModel, allow: string[] = []) {
  await secrets.preload();
  const desired = expandDesired(toyModel(m), [toyDriver], { node: 'n1', secrets });
  const observed = await observe(host, [toyDriver], { node: 'n1' });
  return plan({ desired, observed, drivers: [toyDriver], managedKinds: kinds, allow });
}

function withDir(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sanform-apply-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const model: ToyModel = {
  disks: { a: { size: 1, label: 'x' }, b: { size: 2 } },
  luns: { '0': 'a', '1': 'b' },
  users: { u1: 's1' },
};

test('apply converges: the next plan is empty, one write per op, secrets resolved at write time', withDir(async (dir) => {
  const host = createToyHost(dir);
  const p = await planFor(host, model);
  const r = await apply({ host, plan: p, secrets });
  assert.equal(r.ok, true);
  assert.equal(host.writes.length, p.changes.reduce((n, c) => n + c.ops.length, 0));
  assert.equal(r.executed.length, host.writes.length);
  const planned = p.changes.flatMap((c) => c.ops.map((op) => (op.type === 'mgmt' ? op.command : op.type === 'write' ? op.value : '')));
  assert.deepEqual(host.writes.map((w) => w.split(' <- ')[1]), planned.map((x) => x.replace('{{secret:s1}}', 'hunter2')), 'SCST sysfs ops run in plan order');
  assert.equal(host.state.users.get('u1'), 'hunter2');
  assert.ok(r.executed.every((e) => !e.command.includes('hunter2')));
  assert.equal((await planFor(host, model)).changes.length, 0);
}));

test('a failed write skips its dependents; independent work goes on', withDir(async (dir) => {
  const host = createToyHost(dir);
  const p = await planFor(host, model);
  const idx = p.changes.findIndex((c) => c.address === 'toy/disk/a');
  const n = p.changes.slice(0, idx).reduce((k, c) => k + c.ops.length, 0) + 1;
  host.failAt = { n, errno: 'EIO' };
  const r = await apply({ host, plan: p, secrets });
  const by = new Map(r.results.map((x) => [x.address, x]));
  assert.equal(r.ok, false);
  assert.equal(by.get('toy/disk/a')!.status, 'failed');
  assert.equal(by.get('toy/disk/a')!.error!.errno, 'EIO');
  assert.equal(by.get('toy/lun/0')!.status, 'skipped');
  assert.equal(by.get('toy/lun/0')!.skippedBecause, 'toy/disk/a');
  assert.equal(by.get('toy/lun/1')!.status, 'applied');
  host.failAt = undefined;
  const again = await apply({ host, plan: await planFor(host, model), secrets });
  assert.equal(again.ok, true);
  assert.equal((await planFor(host, model)).changes.length, 0);
}));

test('a change that only follows a failed one (follows) still runs; a true dependent is skipped', withDir(async (dir) => {
  const host = createToyHost(dir);
  const p = await planFor(host, model);
  const lun0 = p.changes.find((c) => c.address === 'toy/lun/0')!;
  assert.ok(lun0.deps.includes('toy/disk/a'));
  const follows = { ...p, changes: p.changes.map((c) => (c === lun0 ? { ...c, follows: ['toy/disk/a'] } : c)) };
  const idx = p.changes.findIndex((c) => c.address === 'toy/disk/a');
  host.failAt = { n: p.changes.slice(0, idx).reduce((k, c) => k + c.ops.length, 0) + 1, errno: 'EIO' };
  const r = await apply({ host, plan: follows, secrets });
  const by = new Map(r.results.map((x) => [x.address, x]));
  assert.equal(by.get('toy/disk/a')!.status, 'failed');
  assert.notEqual(by.get('toy/lun/0')!.status, 'skipped', 'it was attempted after the failure');
  host.failAt = undefined;
  const plain = createToyHost(join(dir, 'again'));
  const p2 = await planFor(plain, model);
  const idx2 = p2.changes.findIndex((c) => c.address === 'toy/disk/a');
  plain.failAt = { n: p2.changes.slice(0, idx2).reduce((k, c) => k + c.ops.length, 0) + 1, errno: 'EIO' };
  const r2 = await apply({ host: plain, plan: p2, secrets });
  assert.equal(r2.results.find((x) => x.address === 'toy/lun/0')!.status, 'skipped');
}));

test('a write whose live value moved since the plan fails STALE and writes nothing', withDir(async (dir) => {
  const host = createToyHost(dir);
  await apply({ host, plan: await planFor(host, model), secrets });
  const p = await planFor(host, { ...model, disks: { ...model.disks, a: { size: 1, label: 'y' } } });
  host.state.disks.get('a')!.label = 'changed-behind-our-back';
  const before = host.writes.length;
  const r = await apply({ host, plan: p, secrets });
  assert.equal(r.results[0].error?.code, 'STALE');
  assert.equal(host.writes.length, before);
}));

test('a write that does not take effect fails VERIFY_FAILED', withDir(async (dir) => {
  const host = createToyHost(dir);
  host.sysfs.writeAttr = async () => {}; // accepts and ignores
  const r = await apply({ host, plan: await planFor(host, { disks: { a: { size: 1, label: 'x' } } }), secrets });
  assert.equal(r.results[0].status, 'failed');
  assert.equal(r.results[0].error?.code, 'VERIFY_FAILED');
}));

test('the journal reports an interrupted previous run', withDir(async (dir) => {
  const j = new Journal(dir, 'old-run');
  j.write({ type: 'begin', run: 'old-run', pid: 1, at: 't', observedHash: 'h', changes: 2 });
  j.write({ type: 'intent', run: 'old-run', address: 'toy/disk/a', op: 0, command: 'echo x > y' });
  j.close();
  const host = createToyHost(dir);
  const r = await apply({ host, plan: await planFor(host, model), secrets });
  assert.equal(r.interrupted?.run, 'old-run');
  assert.deepEqual(r.interrupted?.lastStep, { address: 'toy/disk/a', op: 0, command: 'echo x > y', completed: false });
  const next = await apply({ host, plan: await planFor(host, model), secrets });
  assert.equal(next.interrupted, undefined, 'a finished run leaves nothing to report');
}));

test('a held lock makes a concurrent apply fail APPLY_IN_PROGRESS; a dead holder is stale', withDir(async (dir) => {
  const host = createToyHost(dir);
  const lock = await acquireLock(dir);
  const p = await planFor(host, model);
  await assert.rejects(apply({ host, plan: p, secrets, lockTimeoutMs: 150 }), { code: 'APPLY_IN_PROGRESS' });
  lock.release();
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: Number(dead) }));
  assert.equal((await apply({ host, plan: p, secrets })).ok, true);
}));

test('a lock released while waiting is taken', withDir(async (dir) => {
  const host = createToyHost(dir);
  const lock = await acquireLock(dir);
  setTimeout(lock.release, 100);
  const r = await apply({ host, plan: await planFor(host, model), secrets, lockTimeoutMs: 2000 });
  assert.equal(r.ok, true);
}));
