/**
 * Acceptance: the SCST convergence property (scst-convergence.test.ts) extended to the storage
 * stack. From any live stack of md arrays, bcache, btier and SCST devices on them, to any other,
 * on the emulated machine: a plan made without approvals runs nothing data-destroying (every
 * data-loss change is held back, and applying that plan leaves those objects as they were);
 * approving exactly what it held back, one apply converges and the next plan is empty.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createSimHost } from '../../drivers/sim/index.js';
import { applyPlan } from '../../reconciler/pipeline.js';
import { observe } from '../../reconciler/snapshot/index.js';
import { convergeStack, needsApproval, planStack, stackDrivers, stackYaml, type StackState } from './stack-helpers.js';

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const arbStack: fc.Arbitrary<StackState> = fc.record({
  md0: opt(fc.record({ spares: fc.boolean() })),
  md1: opt(fc.constant({})),
  bcache0: opt(fc.record({ mode: opt(fc.constantFrom('writethrough' as const, 'writeback' as const, 'writearound' as const)), cutoff: opt(fc.constantFrom(0, 1048576)) })),
  sdtiera: opt(fc.record({ interval: opt(fc.constantFrom(3600, 7200)) })),
  scst: fc.record({ onMd0: fc.boolean(), onBcache: fc.boolean(), onTier: fc.boolean(), rotational: opt(fc.boolean()), lun: fc.boolean() }),
}).map((s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as unknown as StackState);

const shown = (r: { results: { address: string; status: string; error?: unknown }[] }) => JSON.stringify(r.results.filter((x) => x.status !== 'applied'));

test('property: any stack to any other converges; nothing data-destroying runs unapproved', async () => {
  let guarded = 0;
  await fc.assert(
    fc.asyncProperty(arbStack, arbStack, async (live, want) => {
      const sim = createSimHost();
      try {
        const first = await convergeStack(sim, stackYaml(live));
        assert.equal(first.ok, true, `to the live state: ${shown(first)}`);
        const yaml = stackYaml(want);

        // without approvals: no data-loss change is in the plan; applying it leaves those objects alone
        const unapproved = await planStack(sim, yaml);
        for (const c of unapproved.plan.changes) assert.ok(!c.impact.some((i) => i.class === 'data-loss'), `${c.action} ${c.address} is data-loss and not blocked`);
        for (const b of unapproved.plan.blocked) assert.equal(b.unavailable, undefined, `${b.address}: ${b.unavailable}`);
        const held = needsApproval(unapproved.plan);
        if (held.length) guarded++;
        const before = await observe(sim, stackDrivers, { node: 'esos-sim' });
        const r = await applyPlan({ host: sim, plan: unapproved.plan, drivers: stackDrivers, secrets: unapproved.secrets, stateDir: sim.stateDir });
        assert.equal(r.counts.failed + r.counts.skipped, 0, `unapproved part: ${shown(r)}`);
        const after = await observe(sim, stackDrivers, { node: 'esos-sim' });
        for (const a of held.filter((x) => before.resources.has(x))) {
          assert.deepEqual(after.resources.get(a)?.spec, before.resources.get(a)?.spec, `${a} changed without its approval`);
        }

        // approving exactly what was held back: one apply converges, the next plan is empty
        const approved = await planStack(sim, yaml, needsApproval((await planStack(sim, yaml)).plan));
        assert.deepEqual(approved.plan.blocked.map((b) => b.address), []);
        const done = await applyPlan({ host: sim, plan: approved.plan, drivers: stackDrivers, secrets: approved.secrets, stateDir: sim.stateDir });
        assert.equal(done.ok, true, `approved: ${shown(done)}`);
        const next = await planStack(sim, yaml);
        assert.deepEqual(next.plan.changes.map((c) => `${c.action} ${c.address}`), []);
        assert.deepEqual(next.plan.blocked.map((b) => b.address), []);
      } finally {
        await sim.close();
      }
    }),
    { numRuns: Number(process.env.SANFORM_PROPERTY_RUNS ?? 20) },
  );
  assert.ok(guarded > 0, 'no run needed an approval: the generator does not reach the guards');
});
