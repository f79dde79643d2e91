/**
 * Acceptance: convergence on the SCST emulator. Random live states L and desired states D:
 * apply(plan(D, L)) succeeds, the next plan is empty, the number of kernel writes equals the
 * number of ops in the plan and no op is redundant.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createSimHost } from '../../drivers/sim/index.js';
import { interceptHost } from '../../reconciler/host/intercept.js';
import { applyPlan } from '../../reconciler/pipeline.js';
import { converge, drivers, opCount, planAll, stateDir, yamlOf, type SmallState } from './scst-helpers.js';

const devNames = ['d0', 'd1', 'd2', 'd3'];
const inits = ['iqn.1998-01.com.vmware:esx1', 'iqn.1998-01.com.vmware:esx2', 'iqn.1998-01.com.vmware:esx3'];

const arbState: fc.Arbitrary<SmallState> = fc
  .record({
    devices: fc.dictionary(
      fc.constantFrom(...devNames),
      fc.record({ prodId: fc.option(fc.constantFrom('ALPHA', 'BETA'), { nil: undefined }), rotational: fc.option(fc.boolean(), { nil: undefined }) }),
      { minKeys: 1 },
    ),
    targets: fc.dictionary(
      fc.constantFrom('t1', 't2'),
      fc.record({
        luns: fc.dictionary(fc.constantFrom('0', '1', '2'), fc.constantFrom(...devNames)),
        // each initiator in group esx, group vm or none (an initiator is in one group per target)
        placement: fc.tuple(...inits.map(() => fc.constantFrom('esx', 'vm', '-'))),
        groupLuns: fc.dictionary(fc.constantFrom('esx', 'vm'), fc.dictionary(fc.constantFrom('0', '1'), fc.constantFrom(...devNames))),
        enabled: fc.option(fc.boolean(), { nil: undefined }),
      }),
    ),
  })
  .map((s) => {
    // LUNs may only name declared devices; drop undefined optionals
    const ok = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).filter(([, d]) => d in s.devices));
    const devices = Object.fromEntries(
      Object.entries(s.devices).map(([n, d]) => [n, Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined))]),
    );
    const targets = Object.fromEntries(
      Object.entries(s.targets).map(([n, t]) => [
        n,
        {
          luns: ok(t.luns),
          groups: Object.fromEntries(
            Object.entries(t.groupLuns).map(([g, luns]) => [g, { initiators: inits.filter((_, i) => t.placement[i] === g), luns: ok(luns) }]),
          ),
          ...(t.enabled === undefined ? {} : { enabled: t.enabled }),
        },
      ]),
    );
    return { devices, targets } as SmallState;
  });

test('property: from any live state, one apply converges with exactly the planned writes', async () => {
  await fc.assert(
    fc.asyncProperty(arbState, arbState, async (live, want) => {
      const sim = createSimHost();
      try {
        const first = await converge(sim, yamlOf(live));
        assert.equal(first.ok, true, JSON.stringify(first.results.filter((r) => r.status !== 'applied')));
        const host = interceptHost(sim);
        const { plan, secrets } = await planAll(host, yamlOf(want));
        for (const c of plan.changes) {
          for (const op of c.ops) if (op.type === 'write' && op.expect !== undefined) assert.notEqual(op.value.trim(), op.expect.trim(), `${c.address}: redundant write`);
        }
        host.clearLog();
        const r = await applyPlan({ host, plan, drivers, secrets, stateDir: stateDir() });
        assert.equal(r.ok, true, JSON.stringify(r.results.filter((x) => x.status !== 'applied')));
        assert.equal(host.count(['mgmt', 'writeAttr']), opCount(plan));
        const next = await planAll(sim, yamlOf(want));
        assert.deepEqual(next.plan.changes.map((c) => `${c.action} ${c.address}`), []);
      } finally {
        await sim.close();
      }
    }),
    { numRuns: 25 },
  );
});
