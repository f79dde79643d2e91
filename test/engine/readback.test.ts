/**
 * Whole-object read-back after apply (reconciler/apply/readback.ts): an op that succeeds but
 * leaves the object unlike what was asked is a failure, named by field and never by value. The
 * plans here are altered by hand to stand for a driver bug the per-op checks would not see.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSimHost } from '../../drivers/sim/index.js';
import type { Change, Plan } from '../../reconciler/core/change.js';
import { applyPlan, loadAndPlan } from '../../reconciler/pipeline.js';
import { drivers, stateDir } from './scst-helpers.js';

const IQN = 'iqn.2026-01.com.example:esos.rb';
const yaml = `version: 1
secrets:
  chap-esx: { env: SANFORM_RB_CHAP_ESX }
  chap-other: { env: SANFORM_RB_CHAP_OTHER }
scst:
  devices:
    a: { handler: vdisk_nullio }
    b: { handler: vdisk_nullio }
  targets:
    iscsi:
      ${IQN}:
        auth: { incoming: [{ user: esx, secret: chap-esx }] }
        luns: { 0: { device: b, readOnly: true } }
`;
const env = { SANFORM_RB_CHAP_ESX: 'esx-secret-12345', SANFORM_RB_CHAP_OTHER: 'other-secret-678' };

async function planned(host: ReturnType<typeof createSimHost>, text: string) {
  const out = await loadAndPlan({ texts: [{ file: 'sanform.yaml', text }], host, drivers, env });
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  return out;
}

/** the plan with one change's ops rewritten. */
const alter = (p: Plan, address: string, f: (c: Change) => Change['ops']): Plan => ({
  ...p,
  changes: p.changes.map((c) => (c.address === address ? { ...c, ops: f(c) } : c)),
});

test('a LUN whose read_only did not take is failed by the read-back, though its command succeeded', async () => {
  const host = createSimHost();
  try {
    const { plan, secrets } = await planned(host, yaml);
    const lun = `scst/target/iscsi/${IQN}/lun/0`;
    const bad = alter(plan, lun, (c) => c.ops.map((o) => (o.type === 'mgmt' ? { ...o, command: o.command.replace(' read_only=1', '') } : o)));
    const r = await applyPlan({ host, plan: bad, drivers, secrets, stateDir: stateDir() });
    const res = r.results.find((x) => x.address === lun)!;
    assert.equal(res.status, 'failed');
    assert.equal(res.error?.code, 'READBACK_MISMATCH');
    assert.match(res.error!.message, /read_only/);
    assert.equal(r.ok, false);
    assert.deepEqual(r.results.filter((x) => x.status !== 'applied').map((x) => x.address), [lun]);
    const fixed = await planned(host, yaml);
    assert.equal((await applyPlan({ host, plan: fixed.plan, drivers, secrets: fixed.secrets, stateDir: stateDir() })).ok, true);
  } finally {
    await host.close();
  }
});

test('a CHAP secret that reads back different is named, its values never shown', async () => {
  const host = createSimHost();
  try {
    const { plan, secrets } = await planned(host, yaml);
    const user = `scst/target/iscsi/${IQN}/incoming-user/esx`;
    const bad = alter(plan, user, (c) => c.ops.map((o) => (o.type === 'mgmt' ? { ...o, command: o.command.replace('{{secret:chap-esx}}', '{{secret:chap-other}}') } : o)));
    const r = await applyPlan({ host, plan: bad, drivers, secrets, stateDir: stateDir() });
    const res = r.results.find((x) => x.address === user)!;
    assert.equal(res.error?.code, 'READBACK_MISMATCH');
    assert.match(res.error!.message, /secret/);
    const text = JSON.stringify(r);
    for (const v of Object.values(env)) assert.ok(!text.includes(v), 'no secret value in the result');
    assert.ok(!/[0-9a-f]{16}/.test(res.error!.message), 'no fingerprint either');
  } finally {
    await host.close();
  }
});
