/**
 * `sanform watch --once` with a metrics textfile: drift under a `policy.drift.ignore` wildcard
 * (the schema's own example, `scst/target/iscsi/*`) is left out, and `sanform_plan_changes`
 * counts the changes that would converge the drift that is left.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSimHost } from '../../drivers/sim/index.js';
import { makeWorld, sanform, YAML, type World } from './helpers.js';

const IQN = 'iqn.2026-01.com.example:esos.vm';

describe('watch --once metrics and drift-ignore wildcards', () => {
  let w: World;
  let prom = '';
  before(async () => {
    w = await makeWorld('sanform-watch-metrics-');
    prom = join(w.dir, 'metrics', 'sanform.prom');
    const yaml = `${YAML.base.replace('policy:\n  drift: { mode: warn, interval: 60s }\n', '')}policy:
  drift:
    mode: warn
    ignore: [{ address: scst/target/iscsi/* }]
alerts:
  - { type: metrics, textfile: ${prom} }
`;
    const p = w.push(yaml, 'storage, iSCSI drift ignored');
    assert.equal(p.status, 0, p.all);
  });
  after(() => w?.cleanup());

  const metric = (name: string): number => {
    const text = readFileSync(prom, 'utf8');
    return [...text.matchAll(new RegExp(`^${name}\\{[^}]*\\} (\\d+)$`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
  };
  /** one cycle; exit 2 means drift was found. */
  const once = (drift: boolean): void => {
    const r = sanform(['watch', '--once', '--repo', w.repo, '--log-level', 'error']);
    assert.equal(r.status, drift ? 2 : 0, r.all);
  };

  it('drift under the ignored prefix counts as none', async () => {
    const host = await openSimHost(w.sim);
    await host.control.write(`/sys/kernel/scst_tgt/targets/iscsi/${IQN}/ini_groups/esx/luns/mgmt`, 'del 0');
    once(false);
    assert.equal(metric('sanform_drift_objects'), 0);
    assert.equal(metric('sanform_plan_changes'), 0);
  });

  it('drift outside it shows in sanform_plan_changes', async () => {
    const host = await openSimHost(w.sim);
    await host.control.write('/sys/kernel/scst_tgt/handlers/vdisk_nullio/mgmt', 'del_device lun0');
    once(true);
    assert.equal(metric('sanform_drift_objects'), 1);
    assert.ok(metric('sanform_plan_changes') >= 1, readFileSync(prom, 'utf8'));
  });
});
