/**
 * Acceptance: fault injection on the SCST emulator. A ~50-operation apply where each kernel
 * write fails in turn gives a result naming the failure and exactly its (transitive) dependents
 * as skipped, everything else applied; a re-run converges.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSimHost } from '../../drivers/sim/index.js';
import { interceptHost } from '../../reconciler/host/intercept.js';
import { applyPlan } from '../../reconciler/pipeline.js';
import { dependentsOf } from './fault-helpers.js';
import { converge, drivers, fiftyOps, opCount, planAll, stateDir, yamlOf } from './scst-helpers.js';

test('each write of a 50-operation apply failing in turn: failure named, dependents skipped, re-run converges', async () => {
  const yaml = yamlOf(fiftyOps());
  const probe = await planAll(createSimHost(), yaml);
  const total = opCount(probe.plan);
  assert.ok(total >= 50, `the fixture makes ${total} ops`);
  for (let n = 1; n <= total; n++) {
    const sim = createSimHost();
    const host = interceptHost(sim, { match: { kind: ['mgmt', 'writeAttr'], nth: n }, fail: 'EIO' });
    const { plan, secrets } = await planAll(host, yaml);
    const r = await applyPlan({ host, plan, drivers, secrets, stateDir: stateDir() });
    const failed = r.results.filter((x) => x.status === 'failed');
    assert.equal(failed.length, 1, `write ${n}: one failed change`);
    assert.equal(failed[0].error?.errno, 'EIO');
    const expectSkipped = dependentsOf(plan, failed[0].address);
    const skipped = r.results.filter((x) => x.status === 'skipped');
    assert.deepEqual(new Set(skipped.map((x) => x.address)), expectSkipped, `write ${n}: skipped = dependents of ${failed[0].address}`);
    assert.ok(skipped.every((x) => x.skippedBecause === failed[0].address));
    assert.equal(r.counts.applied, plan.changes.length - 1 - expectSkipped.size);
    assert.equal(r.ok, false);
    const again = await converge(sim, yaml);
    assert.equal(again.ok, true, `write ${n}: re-run converges`);
    assert.equal((await planAll(sim, yaml)).plan.changes.length, 0);
    await sim.close();
  }
});
