/**
 * Property on the toy kernel (which removes a disk's LUNs with it): from any live state, one
 * apply of the fully approved plan converges, with one kernel write per planned op, and the
 * plan never deletes an object the kernel removes by cascade.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { apply } from '../../reconciler/apply/index.js';
import { plan } from '../../reconciler/plan/index.js';
import { expandDesired, observe } from '../../reconciler/snapshot/index.js';
import { createSecretResolver, fingerprint } from '../../reconciler/secrets.js';
import { createToyHost, type ToyHost } from './toy-kernel.js';
import { toyDriver, toyModel, type ToyModel } from './toy-driver.js';
import { stateDir } from './scst-helpers.js';

const secrets = createSecretResolver({ secrets: { s1: { env: 'SANFORM_A' }, s2: { env: 'SANFORM_B' } }, env: { SANFORM_A: 'one', SANFORM_B: 'two' }, fingerprint });
const kinds = ['toy.disk', 'toy.lun', 'toy.user'];
const disks = ['a', 'b', 'c'];

const arbModel: fc.Arbitrary<ToyModel> = fc
  .record({
    disks: fc.dictionary(fc.constantFrom(...disks), fc.record({ size: fc.integer({ min: 1, max: 2 }), label: fc.constantFrom('x', 'y') })),
    luns: fc.dictionary(fc.constantFrom('0', '1', '2', '3'), fc.constantFrom(...disks)),
    users: fc.dictionary(fc.constantFrom('u1', 'u2'), fc.constantFrom('s1', 's2')),
  })
  .map((m) => ({ ...m, luns: Object.fromEntries(Object.entries(m.luns).filter(([, d]) => d in m.disks)) }));

async function planFor(host: ToyHost, m: ToyModel) {
  const desired = expandDesired(toyModel(m), [toyDriver], { node: 'n', secrets });
  const observed = await observe(host, [toyDriver], { node: 'n' });
  const first = plan({ desired, observed, drivers: [toyDriver], managedKinds: kinds });
  return plan({ desired, observed, drivers: [toyDriver], managedKinds: kinds, allow: first.blocked.map((b) => b.address) });
}

test('property: toy kernel converges in one apply with exactly the planned writes', async () => {
  await secrets.preload();
  const dir = mkdtempSync(join(stateDir(), 'toy-'));
  try {
    await fc.assert(
      fc.asyncProperty(arbModel, arbModel, async (live, want) => {
        const host = createToyHost(dir);
        assert.equal((await apply({ host, plan: await planFor(host, live), secrets })).ok, true);
        const p = await planFor(host, want);
        const cascaded = p.changes.filter((c) => c.action === 'delete' && c.kind === 'toy.lun' && p.changes.some(
          (d) => (d.action === 'delete' || d.action === 'replace') && d.address === `toy/disk/${(c.before!.spec as { disk: string }).disk}`,
        ));
        assert.deepEqual(cascaded.map((c) => c.address), [], 'no delete for what the kernel removes');
        host.writes.length = 0;
        const r = await apply({ host, plan: p, secrets });
        assert.equal(r.ok, true, JSON.stringify(r.results.filter((x) => x.status !== 'applied')));
        assert.equal(host.writes.length, p.changes.reduce((n, c) => n + c.ops.length, 0));
        assert.deepEqual((await planFor(host, want)).changes.map((c) => `${c.action} ${c.address}`), []);
      }),
      { numRuns: 150 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
