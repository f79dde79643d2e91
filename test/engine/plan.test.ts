import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { plan } from '../../reconciler/plan/index.js';
import { renderJson } from '../../reconciler/render/index.js';
import type { Plan } from '../../reconciler/core/change.js';
import type { Resource } from '../../reconciler/core/resource.js';
import { toyDriver, toyResources as R } from './toy-driver.js';
import { snap } from './fixtures.js';

const kinds = ['toy.disk', 'toy.lun', 'toy.user'];
const run = (desired: Resource[], observed: Resource[], extra: Partial<Parameters<typeof plan>[0]> = {}): Plan =>
  plan({ desired: snap(desired), observed: snap(observed), drivers: [toyDriver], managedKinds: kinds, ...extra });
const seq = (p: Plan) => p.changes.map((c) => `${c.action} ${c.address}`);

test('creates follow their desired deps; stage breaks ties', () => {
  const p = run([R.lun('1', 'a'), R.disk('b', { size: 1 }), R.disk('a', { size: 1 })], []);
  assert.deepEqual(seq(p), ['create toy/disk/a', 'create toy/disk/b', 'create toy/lun/1']);
  assert.deepEqual(p.changes[2].deps, ['toy/disk/a']);
  assert.equal(p.summary.create, 3);
});

test('identical snapshots give an empty plan', () => {
  const rs = [R.disk('a', { size: 1, label: 'x' }), R.lun('1', 'a')];
  const p = run(rs, rs);
  assert.equal(p.changes.length, 0);
  assert.equal(p.blocked.length, 0);
});

test('a fixed field forces replace with a reason naming it; guarded until allowed', () => {
  const p = run([R.disk('a', { size: 2 })], [R.disk('a', { size: 1 })]);
  assert.equal(p.changes.length, 0);
  assert.equal(p.blocked[0].action, 'replace');
  assert.equal(p.blocked[0].because[0].class, 'data-loss');
  const ok = run([R.disk('a', { size: 2 })], [R.disk('a', { size: 1 })], { allow: ['toy/disk/a'] });
  assert.equal(ok.changes[0].action, 'replace');
  assert.match(ok.changes[0].reason, /size/);
});

test('replace cascades: an unchanged LUN on the re-created disk is created again, after it', () => {
  const obs = [R.disk('a', { size: 1 }), R.lun('1', 'a'), R.lun('2', 'a')];
  const want = [R.disk('a', { size: 2 }), R.lun('1', 'a')];
  const p = run(want, obs, { allow: ['toy/disk/a'] });
  assert.deepEqual(seq(p), ['replace toy/disk/a', 'create toy/lun/1']);
  assert.match(p.changes[1].reason, /re-created because toy\/disk\/a/);
  assert.ok(!seq(p).includes('delete toy/lun/2'), 'the kernel removes LUN 2 with the disk');
});

test('a LUN moves off a disk before the disk is deleted (no cascade for it)', () => {
  const obs = [R.disk('a', { size: 1 }), R.disk('b', { size: 1 }), R.lun('1', 'a')];
  const want = [R.disk('b', { size: 1 }), R.lun('1', 'b')];
  const p = run(want, obs, { allow: ['toy/disk/a', 'toy/lun/1'] });
  assert.deepEqual(seq(p), ['update toy/lun/1', 'delete toy/disk/a']);
  assert.deepEqual(p.changes[1].deps, ['toy/lun/1']);
});

test('without cascades, dependents are deleted before what they depend on', () => {
  const noCascade = { ...toyDriver, cascades: undefined };
  const p = plan({
    desired: snap([]), observed: snap([R.disk('a', { size: 1 }), R.lun('1', 'a')]),
    drivers: [noCascade], managedKinds: kinds, allow: ['toy/disk/a', 'toy/lun/1'],
  });
  assert.deepEqual(seq(p), ['delete toy/lun/1', 'delete toy/disk/a']);
});

test('session guard blocks a LUN removal and everything waiting for it', () => {
  const noCascade = { ...toyDriver, cascades: undefined };
  const obs = snap([R.disk('a', { size: 1 }), R.lun('1', 'a', ['iqn.esx1'])]);
  const p = plan({ desired: snap([]), observed: obs, drivers: [noCascade], managedKinds: kinds, allow: ['toy/disk/a'] });
  assert.deepEqual(p.changes, []);
  assert.deepEqual(p.blocked.map((b) => [b.address, b.blockedBy]), [['toy/lun/1', undefined], ['toy/disk/a', 'toy/lun/1']]);
  assert.ok(p.blocked[0].because.some((i) => i.class === 'session'));
  const approved = plan({
    desired: snap([]), observed: obs, drivers: [noCascade], managedKinds: kinds, allow: ['toy/disk/a'],
    approvals: [{ address: 'toy/lun/1', action: 'delete', reason: 'decommission' }],
  });
  assert.deepEqual(seq(approved), ['delete toy/lun/1', 'delete toy/disk/a']);
  assert.equal(approved.summary.sessions, 1);
});

test('a change the driver calls unavailable is blocked with its dependents, and no approval runs it', () => {
  const missing = { ...toyDriver, unavailable: (c: { address: string; action: string }) => (c.address === 'toy/disk/b' && c.action === 'create' ? { reason: 'disk b is not here', hint: 'plug it in' } : undefined) };
  const want = [R.disk('a', { size: 1 }), R.disk('b', { size: 1 }), R.lun('1', 'b'), R.lun('2', 'a')];
  for (const extra of [{}, { allow: ['toy/disk/b', 'toy/lun/1'] }, { approvals: [{ address: 'toy/disk/b', action: 'create' as const, reason: 'x' }] }]) {
    const p = plan({ desired: snap(want), observed: snap([]), drivers: [missing], managedKinds: kinds, ...extra });
    assert.deepEqual(seq(p), ['create toy/disk/a', 'create toy/lun/2']);
    assert.deepEqual(p.blocked.map((b) => [b.address, b.blockedBy, b.unavailable, b.hint]), [
      ['toy/disk/b', undefined, 'disk b is not here', 'plug it in'],
      ['toy/lun/1', 'toy/disk/b', 'disk b is not here', 'waits for toy/disk/b; toy/disk/b cannot be made on this machine'],
    ]);
  }
});

test('an approval for another action does not cover the change', () => {
  const p = run([], [R.disk('a', { size: 1 })], { approvals: [{ address: 'toy/disk/a', action: 'replace', reason: 'x' }] });
  assert.equal(p.blocked.length, 1);
});

test('prune covers only managed kinds, honours keep and can be turned off', () => {
  const obs = [R.user('old', 'fp'), R.user('keepme', 'fp'), R.disk('z', { size: 1 })];
  const p = run([], obs, { managedKinds: ['toy.user'] });
  assert.deepEqual(seq(p), ['delete toy/user/old']);
  assert.equal(run([], obs, { prune: false }).changes.length, 0);
});

test('a dependency cycle is a coded error', () => {
  const a: Resource = { ...R.disk('a', { size: 1 }), deps: ['toy/disk/b'] };
  const b: Resource = { ...R.disk('b', { size: 1 }), deps: ['toy/disk/a'] };
  assert.throws(() => run([a, b], []), { code: 'PLAN_CYCLE' });
});

test('an unknown driver is a coded error', () => {
  assert.throws(() => run([{ ...R.disk('a', { size: 1 }), driver: 'nope' }], []), { code: 'UNKNOWN_DRIVER' });
});

// ---------------------------------------------------------------- properties

const names = ['a', 'b', 'c', 'd'];
const arbState = fc.record({
  disks: fc.dictionary(fc.constantFrom(...names), fc.record({ size: fc.integer({ min: 1, max: 3 }), label: fc.constantFrom('x', 'y') })),
  luns: fc.dictionary(fc.constantFrom('0', '1', '2', '3'), fc.constantFrom(...names)),
  sessions: fc.boolean(),
});
type St = { disks: Record<string, { size: number; label: string }>; luns: Record<string, string>; sessions: boolean };
const toResources = (s: St): Resource[] => [
  ...Object.entries(s.disks).map(([n, d]) => R.disk(n, d)),
  ...Object.entries(s.luns).filter(([, d]) => d in s.disks).map(([n, d]) => R.lun(n, d, s.sessions ? ['ini'] : [])),
];
const shuffle = <T>(xs: T[], seed: number): T[] => {
  const a = [...xs];
  let x = seed || 1;
  for (let i = a.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const j = x % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
};

test('property: shuffled inputs give a byte-identical plan; order respects deps', () => {
  fc.assert(
    fc.property(arbState, arbState, fc.integer(), fc.array(fc.constantFrom(...names.map((n) => `toy/disk/${n}`))), (d, o, seed, allow) => {
      const want = toResources(d as St);
      const live = toResources(o as St);
      const p1 = run(want, live, { allow });
      const p2 = run(shuffle(want, seed), shuffle(live, seed + 7), { allow: shuffle(allow, seed) });
      assert.equal(renderJson(p1), renderJson(p2));
      const seen = new Set<string>();
      for (const c of p1.changes) {
        for (const dep of c.deps) assert.ok(seen.has(dep), `${c.address} runs before its dep ${dep}`);
        seen.add(c.address);
      }
    }),
    { numRuns: 200 },
  );
});
