import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { canonicalJson, observe, observedHash, parseSnapshot, serializeSnapshot, sortKeys } from '../../reconciler/snapshot/index.js';
import { createSecretResolver, fingerprinter, FINGERPRINT_FORM } from '../../reconciler/secrets.js';
import { apply } from '../../reconciler/apply/index.js';
import type { Plan } from '../../reconciler/core/change.js';
import { createToyHost } from './toy-kernel.js';
import { toyDriver, toyResources as R } from './toy-driver.js';
import { snap } from './fixtures.js';

test('snapshot: canonical, round-trips, hash ignores time, source and insertion order', () => {
  const a = snap([R.disk('b', { size: 1, label: 'x' }), R.lun('0', 'b')]);
  const b = { ...snap([R.lun('0', 'b'), { ...R.disk('b', { label: 'x', size: 1 }) }]), takenAt: 'later', source: 'elsewhere' };
  assert.equal(observedHash(a), observedHash(b));
  assert.match(observedHash(a), /^sha256:[0-9a-f]{64}$/);
  const text = serializeSnapshot(a);
  assert.equal(serializeSnapshot(parseSnapshot(text)), text);
  assert.equal(observedHash(parseSnapshot(text)), observedHash(a));
  assert.notEqual(observedHash(snap([R.disk('b', { size: 2, label: 'x' })])), observedHash(a));
});

test('snapshot: bad files are coded errors', () => {
  assert.throws(() => parseSnapshot('{'), { code: 'SNAPSHOT_FORMAT' });
  assert.throws(() => parseSnapshot('{"node":"n","resources":[{}]}'), { code: 'SNAPSHOT_FORMAT' });
  assert.throws(() => parseSnapshot('{"node":"n","formatVersion":2,"resources":[]}'), { code: 'SNAPSHOT_FORMAT' });
});

test('property: canonicalJson is key-order independent', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      const shuffled = JSON.parse(JSON.stringify(v), function (_k, x) {
        if (x && typeof x === 'object' && !Array.isArray(x)) return Object.fromEntries(Object.entries(x).reverse());
        return x;
      });
      assert.equal(canonicalJson(shuffled), canonicalJson(v));
      assert.equal(JSON.stringify(sortKeys(v)), canonicalJson(v));
    }),
    { numRuns: 300 },
  );
});

test('observe: one pass over every driver; a duplicate address is a coded error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-snap-'));
  try {
    const host = createToyHost(dir, { disks: new Map([['a', { size: 1, label: '', serial: '' }]]) });
    const s = await observe(host, [toyDriver], { node: 'n1', now: () => new Date(0) });
    assert.deepEqual([...s.resources.keys()], ['toy/disk/a']);
    assert.equal(s.takenAt, '1970-01-01T00:00:00.000Z');
    await assert.rejects(observe(host, [toyDriver, { ...toyDriver, name: 'toy2' }], { node: 'n1' }), { code: 'DUPLICATE_ADDRESS' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('secrets: file and env references, sealed values, fingerprints, coded errors naming the secret and file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-secret-'));
  try {
    writeFileSync(join(dir, 'a'), 'alpha\n');
    const fp = fingerprinter(Buffer.alloc(32, 7));
    const r = createSecretResolver({
      secrets: { a: { file: join(dir, 'a') }, e: { env: 'SANFORM_X_SECRET' }, gone: { file: join(dir, 'nope') } },
      env: { SANFORM_X_SECRET: 'beta', SANFORM_SECRETS_DIR: dir },
      fingerprint: fp,
    });
    assert.equal((await r.value('a')).reveal(), 'alpha');
    assert.equal(String(await r.value('a')), '<secret a>');
    assert.equal((await r.value('e')).reveal(), 'beta');
    assert.equal(r.fingerprint('a'), fp('alpha'));
    assert.match(fp('alpha'), FINGERPRINT_FORM);
    assert.notEqual(fp('alpha'), fp('alpha '));
    assert.notEqual(fingerprinter(Buffer.alloc(32, 8))('alpha'), fp('alpha'), 'another machine, another fingerprint');
    await assert.rejects(r.value('gone'), (e: { code: string; data: { secret: string; file: string } }) => {
      assert.equal(e.code, 'SECRET_UNAVAILABLE');
      assert.equal(e.data.secret, 'gone');
      assert.equal(e.data.file, join(dir, 'nope'));
      return true;
    });
    await r.preload();
    assert.equal(r.fingerprint('gone'), 'unavailable:gone');
    assert.throws(() => r.fingerprint('undeclared'), { code: 'UNKNOWN_SECRET' });

    // apply: the op naming the missing secret fails with that code, nothing is written
    const host = createToyHost(dir);
    const plan: Plan = {
      formatVersion: 1, node: 'n1', observedHash: 'x', blocked: [],
      summary: { create: 1, update: 0, replace: 0, delete: 0, blocked: 0, byImpact: {}, sessions: 0 },
      changes: [{
        address: 'toy/user/u', kind: 'toy.user', driver: 'toy', action: 'update', fields: [], impact: [], reason: '', deps: [], stage: 'attributes',
        ops: [{ type: 'write', path: '/sys/kernel/scst_tgt/toy/users/u/secret', value: '{{secret:gone}}' }],
      }],
    };
    const res = await apply({ host, plan, secrets: r });
    assert.equal(res.results[0].error?.code, 'SECRET_UNAVAILABLE');
    assert.equal(host.writes.length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
