/**
 * bcache and btier on the emulated machine (drivers/sim/stack), under SCST: the file converges
 * in one apply (bcache0 and sdtiera made before the SCST devices that open them), the next plan
 * is empty, and a layer still exported by SCST is not removed (the plan names the holder).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { applyPlan, loadAndPlan } from '../../reconciler/pipeline.js';
import { createSimHost } from '../../drivers/sim/index.js';
import { bcacheDriver } from '../../drivers/bcache/index.js';
import { btierDriver } from '../../drivers/btier/index.js';
import { scstDriver } from '../../drivers/scst/index.js';

const drivers = [bcacheDriver, btierDriver, scstDriver];
const host = createSimHost();
after(() => host.close());
const STACK = `version: 1
storage:
  bcache:
    bcache0: { backing: /dev/sdb, cache: /dev/sdc, mode: writeback, attributes: { sequential_cutoff: 0 } }
  btier:
    sdtiera: { devices: [/dev/sdd, /dev/sde], attributes: { migration_interval: 3600 } }
scst:
  devices:
    cached: { handler: vdisk_blockio, filename: /dev/bcache0 }
    tiered: { handler: vdisk_blockio, filename: /dev/sdtiera }
`;
const planOf = async (text: string, allow: string[] = []) => {
  const r = await loadAndPlan({ texts: [{ file: 'f.yaml', text }], host, drivers, node: 'esos-sim', allow });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.diagnostics));
  return r;
};

test('a bcache and a btier device under SCST converge in one apply on the sim', async () => {
  const first = await planOf(STACK);
  const order = first.plan.changes.map((c) => c.address);
  assert.ok(order.indexOf('bcache/bcache0') < order.indexOf('scst/device/cached'), order.join(' '));
  assert.ok(order.indexOf('btier/sdtiera') < order.indexOf('scst/device/tiered'), order.join(' '));
  const res = await applyPlan({ host, plan: first.plan, drivers, secrets: first.secrets });
  assert.equal(res.ok, true, JSON.stringify(res.results.filter((r) => r.status !== 'applied')).slice(0, 500));
  assert.deepEqual((await planOf(STACK)).plan.changes.map((c) => c.address), []);
});

test('a bcache device SCST still exports is not removed; the plan names the holder', async () => {
  const without = STACK.replace(/ {4}bcache0: .*\n/, '').replace('  bcache:\n', '  bcache: {}\n');
  const p = (await planOf(without, ['bcache/bcache0', 'bcache/cache/sdc'])).plan;
  const b = p.blocked.find((x) => x.address === 'bcache/bcache0');
  assert.ok(b, JSON.stringify(p.changes.map((c) => c.address)));
  assert.match(b.unavailable ?? '', /scst\/device\/cached/);
});
