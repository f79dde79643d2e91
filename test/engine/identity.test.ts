/**
 * Identity moves in the planner (reconciler/plan/identity.ts), on the toy driver whose LUNs share
 * one LUN set: a disk that leaves one LUN number and appears at another is renumbered; both
 * halves carry an `identity` impact and are blocked and approved as one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plan } from '../../reconciler/plan/index.js';
import type { Plan } from '../../reconciler/core/change.js';
import type { Resource } from '../../reconciler/core/resource.js';
import { toyDriver, toyResources as R } from './toy-driver.js';
import { snap } from './fixtures.js';

const kinds = ['toy.disk', 'toy.lun', 'toy.user'];
const run = (desired: Resource[], observed: Resource[], extra: Partial<Parameters<typeof plan>[0]> = {}): Plan =>
  plan({ desired: snap(desired), observed: snap(observed), drivers: [toyDriver], managedKinds: kinds, ...extra });
const seq = (p: Plan) => p.changes.map((c) => `${c.action} ${c.address}`);
const blocked = (p: Plan) => p.blocked.map((b) => `${b.action} ${b.address}`);
const identity = (p: Plan, address: string) =>
  [...p.changes, ...p.blocked.map((b) => ({ address: b.address, impact: b.because }))]
    .find((c) => c.address === address)
    ?.impact.filter((i) => i.class === 'identity')
    .map((i) => i.detail);

const disks = [R.disk('a', { size: 1 }), R.disk('b', { size: 1 })];
const live = [...disks, R.lun('3', 'a')];
const renumbered = [...disks, R.lun('5', 'a')];

test('a LUN renumbered: delete and create are both blocked as one identity change naming both numbers', () => {
  const p = run(renumbered, live);
  assert.deepEqual(seq(p), []);
  assert.deepEqual(blocked(p), ['delete toy/lun/3', 'create toy/lun/5']);
  for (const a of ['toy/lun/3', 'toy/lun/5']) assert.deepEqual(identity(p, a), ['disk a moves from LUN 3 to LUN 5']);
  assert.ok(p.blocked.every((b) => b.blockedBy === undefined), 'each half is guarded itself, not only through a dependency');
  assert.match(p.blocked[0].hint, /toy\/lun\/5/, 'the hint names the other half');
  assert.equal(p.summary.blocked, 2);
});

test('one approval of either half, or --allow of either address, unblocks both', () => {
  const variants: Partial<Parameters<typeof plan>[0]>[] = [
    { allow: ['toy/lun/3'] },
    { allow: ['toy/lun/5'] },
    { approvals: [{ address: 'toy/lun/3', action: 'delete', reason: 'renumber' }] },
    { approvals: [{ address: 'toy/lun/5', action: 'create', reason: 'renumber' }] },
  ];
  for (const v of variants) {
    const p = run(renumbered, live, v);
    assert.deepEqual(blocked(p), [], JSON.stringify(v));
    assert.deepEqual(seq(p).sort(), ['create toy/lun/5', 'delete toy/lun/3'], JSON.stringify(v));
    assert.equal(p.summary.byImpact.identity, 2);
  }
  // an approval for another action of that address does not count
  const wrong = run(renumbered, live, { approvals: [{ address: 'toy/lun/5', action: 'update', reason: 'x' }] });
  assert.equal(wrong.blocked.length, 2);
});

test('an approval of one half covers the other half\'s session impact too (the move is one change)', () => {
  const p = run(renumbered, [...disks, R.lun('3', 'a', ['iqn.esx1'])]);
  assert.deepEqual(blocked(p), ['delete toy/lun/3', 'create toy/lun/5']);
  assert.ok(p.blocked[0].because.some((i) => i.class === 'session'));
  const ok = run(renumbered, [...disks, R.lun('3', 'a', ['iqn.esx1'])], { allow: ['toy/lun/5'] });
  assert.deepEqual(seq(ok).sort(), ['create toy/lun/5', 'delete toy/lun/3']);
});

test('not a move: an extra mapping of a disk, a mapping removed while another stays, a new or a removed disk', () => {
  const extra = run([...renumbered, R.lun('3', 'a')], live);
  assert.deepEqual(seq(extra), ['create toy/lun/5']);
  assert.equal(identity(extra, 'toy/lun/5')?.length, 0);
  const fewer = run(live, [...live, R.lun('4', 'a')]);
  assert.deepEqual(seq(fewer), ['delete toy/lun/4']);
  const other = run([...disks, R.lun('5', 'b')], live);
  assert.deepEqual(seq(other).sort(), ['create toy/lun/5', 'delete toy/lun/3'], 'disk a leaves, disk b arrives: two objects');
  assert.deepEqual(other.blocked, []);
});

test('a swap of two LUNs (two updates) is one identity change; one approval runs both', () => {
  const obs = [...disks, R.lun('1', 'a'), R.lun('2', 'b')];
  const want = [...disks, R.lun('1', 'b'), R.lun('2', 'a')];
  const p = run(want, obs);
  assert.deepEqual(blocked(p), ['update toy/lun/1', 'update toy/lun/2']);
  assert.deepEqual(identity(p, 'toy/lun/1'), ['disk a moves from LUN 1 to LUN 2', 'disk b moves from LUN 2 to LUN 1']);
  assert.deepEqual(seq(run(want, obs, { allow: ['toy/lun/2'] })), ['update toy/lun/1', 'update toy/lun/2']);
});

test('a LUN re-created by a cascade keeps its number: no identity change', () => {
  const p = run([R.disk('a', { size: 2 }), R.lun('3', 'a')], [R.disk('a', { size: 1 }), R.lun('3', 'a')], { allow: ['toy/disk/a'] });
  assert.deepEqual(seq(p), ['replace toy/disk/a', 'create toy/lun/3']);
  assert.equal(identity(p, 'toy/lun/3')?.length, 0);
});

test('a driver without identityKey plans a renumber as two unrelated changes (as before)', () => {
  const plain = { ...toyDriver, identityKey: undefined };
  const p = plan({ desired: snap(renumbered), observed: snap(live), drivers: [plain], managedKinds: kinds });
  assert.deepEqual(seq(p).sort(), ['create toy/lun/5', 'delete toy/lun/3']);
  assert.deepEqual(p.blocked, []);
});
