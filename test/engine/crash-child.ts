/**
 * Child process for the kill-mid-apply test: applies CONFIG to the persistent sim machine in DIR
 * and SIGKILLs itself at kernel write number CRASH_AT (before it takes effect, or after it with
 * CRASH_AFTER=1). Usage: node --import tsx crash-child.ts DIR CONFIG CRASH_AT
 */
import { readFileSync } from 'node:fs';
import { openSimHost } from '../../drivers/sim/index.js';
import { interceptHost } from '../../reconciler/host/intercept.js';
import { applyPlan } from '../../reconciler/pipeline.js';
import { drivers, planAll } from './scst-helpers.js';

const [dir, config, crashAt] = process.argv.slice(2);
const sim = await openSimHost(dir);
const host = interceptHost(sim, {
  match: { kind: ['mgmt', 'writeAttr'], nth: Number(crashAt) },
  after: process.env.CRASH_AFTER === '1',
  crash: () => {
    process.kill(process.pid, 'SIGKILL');
    throw new Error('unreachable');
  },
});
const { plan, secrets } = await planAll(host, readFileSync(config, 'utf8'));
await applyPlan({ host, plan, drivers, secrets });
process.stdout.write('finished without crashing\n');
