/**
 * Acceptance: an apply killed mid-way (SIGKILL in a child process, against a persistent sim
 * DIR); the next run reports the interrupted step from the journal and converges.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultHardware, initSimDir, openSimHost } from '../../drivers/sim/index.js';
import { applyPlan } from '../../reconciler/pipeline.js';
import { drivers, fiftyOps, planAll, yamlOf } from './scst-helpers.js';

const child = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

for (const after of [false, true]) {
  test(`killed at write 17 (${after ? 'after' : 'before'} it took effect): the re-run reports the step and converges`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sanform-crash-'));
    try {
      await initSimDir(join(dir, 'sim'), defaultHardware());
      const config = join(dir, 'sanform.yaml');
      const yaml = yamlOf(fiftyOps());
      writeFileSync(config, yaml);
      const r = spawnSync(process.execPath, ['--import', 'tsx', child, join(dir, 'sim'), config, '17'], {
        env: { ...process.env, CRASH_AFTER: after ? '1' : '0' },
        encoding: 'utf8',
      });
      assert.equal(r.signal, 'SIGKILL', r.stdout + r.stderr);
      const sim = await openSimHost(join(dir, 'sim'));
      const { plan, secrets } = await planAll(sim, yaml);
      assert.ok(plan.changes.length > 0, 'the crash left work to do');
      const res = await applyPlan({ host: sim, plan, drivers, secrets });
      assert.equal(res.ok, true);
      const step = res.interrupted?.lastStep;
      assert.ok(step, 'the journal names the interrupted step');
      assert.equal(step.completed, false);
      assert.equal(res.interrupted!.completedOps, 16);
      const again = await planAll(sim, yaml);
      assert.equal(again.plan.changes.length, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
