/**
 * Acceptance: fault injection on the storage stack (md, bcache, btier, SCST on them). Each kernel
 * write of the first apply (a planned mdadm/make-bcache/btier_setup/wipefs run, a sysfs or mgmt
 * write, /etc/mdadm.conf) fails in turn, before it takes effect and, in a second pass, after it
 * took effect with only its reply lost: the failure is named, exactly its dependents are skipped,
 * and the next run converges to an empty plan.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSimHost } from '../../drivers/sim/index.js';
import { interceptHost } from '../../reconciler/host/intercept.js';
import { applyPlan } from '../../reconciler/pipeline.js';
import { stateDir } from './scst-helpers.js';
import { dependentsOf, failNthWrite, writeCount } from './fault-helpers.js';
import { convergeStack, needsApproval, planStack, stackDrivers, stackYaml } from './stack-helpers.js';

const yaml = stackYaml({
  md0: { spares: true }, bcache0: { mode: 'writeback', cutoff: 0 }, sdtiera: { interval: 3600 },
  scst: { onMd0: true, onBcache: true, onTier: true, rotational: false, lun: true },
});

for (const after of [false, true]) {
  test(`each write of a stack apply failing in turn (${after ? 'after it took effect' : 'before it takes effect'}): dependents skipped, the next run converges`, async () => {
    const probe = createSimHost();
    const total = writeCount((await planStack(probe, yaml)).plan);
    await probe.close();
    assert.ok(total >= 20, `the stack makes ${total} writes`);
    const kinds = new Set<string>();
    for (let n = 1; n <= total; n++) {
      const sim = createSimHost();
      try {
        const { plan, secrets } = await planStack(sim, yaml);
        assert.deepEqual(needsApproval(plan), [], 'a fresh machine needs no approval');
        const host = interceptHost(sim, failNthWrite(plan, n, { after }));
        const r = await applyPlan({ host, plan, drivers: stackDrivers, secrets, stateDir: stateDir() });
        const hit = host.log.find((op) => op.injected);
        assert.ok(hit, `write ${n}: the fault was injected`);
        kinds.add(hit.kind);
        const failed = r.results.filter((x) => x.status === 'failed');
        assert.equal(failed.length, 1, `write ${n} (${hit.argv?.join(' ') ?? hit.path}): one failed change, got ${JSON.stringify(r.results.filter((x) => x.status !== 'applied'))}`);
        const skipped = new Set(r.results.filter((x) => x.status === 'skipped').map((x) => x.address));
        assert.deepEqual(skipped, dependentsOf(plan, failed[0]!.address), `write ${n}: skipped = dependents of ${failed[0]!.address}`);
        const again = await convergeStack(sim, yaml);
        assert.equal(again.ok, true, `write ${n} (${hit.argv?.join(' ') ?? hit.path}): the re-run converges: ${JSON.stringify(again.results.filter((x) => x.status !== 'applied'))}`);
        const next = await planStack(sim, yaml);
        assert.deepEqual(next.plan.changes.map((c) => `${c.action} ${c.address}`), [], `write ${n}: the next plan is empty`);
      } finally {
        await sim.close();
      }
    }
    assert.deepEqual([...kinds].sort(), ['exec', 'files.writeAtomic', 'mgmt', 'writeAttr'].filter((k) => kinds.has(k)));
    assert.ok(kinds.has('exec') && kinds.has('files.writeAtomic'), `tools and files were failed: ${[...kinds].join(', ')}`);
  });
}
