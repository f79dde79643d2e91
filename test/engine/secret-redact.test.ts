/** A write that carries a secret and fails reports the secret by name, never its value. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { applyPlan, loadAndPlan } from '../../reconciler/pipeline.js';
import { emuHost } from '../../drivers/scst/testing/emu-host.js';
import { DRIVERS } from '../../drivers/scst/testing/loop.js';

const SHORT = 'Qx7short'; // SCST refuses CHAP secrets under 12 bytes: the write fails with EINVAL

const yaml = `version: 1
secrets: { chap: { env: SANFORM_T_CHAP } }
scst:
  targets:
    iscsi:
      iqn.2026-01.com.example:t1:
        auth: { incoming: [{ user: esx, secret: chap }], outgoing: { user: tgt, secret: chap } }
`;

test('a failed CHAP write: the error, its data and the executed ops name the secret, never the value', async () => {
  const host = emuHost();
  const r = await loadAndPlan({ texts: [{ file: 'sanform.yaml', text: yaml }], host, drivers: DRIVERS, node: 'esos-sim', env: { SANFORM_T_CHAP: SHORT } });
  assert.ok(r.ok);
  const res = await applyPlan({ host, plan: r.plan, drivers: DRIVERS, secrets: r.secrets });
  const failed = res.results.filter((x) => x.status === 'failed');
  assert.ok(failed.length >= 1, 'the kernel refused the short secret');
  for (const f of failed) {
    assert.equal(f.error?.code, 'ERRNO');
    assert.equal(f.error?.errno, 'EINVAL');
    assert.match(f.error?.message ?? '', /<secret chap>/);
  }
  const everything = [JSON.stringify(res), inspect(res, { depth: 20 }), String(res.results.map((x) => x.error?.message))].join('\n');
  assert.ok(!everything.includes(SHORT), 'the value appears nowhere in what apply returns');
});
