/**
 * Hardware faults of the storage stack through the GitOps flow on a sim machine: a member of an
 * md array fails, a bcache device's cache SSD is pulled, a btier member is pulled. `sanform drift`
 * and `sanform watch --once` report each as drift of class `hardware` with an alert; no plan
 * re-creates, replaces or removes them; plugging the disks back ends the drift of what recovers.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeWorld, sanform, type World } from '../gitops/helpers.js';

const STACK = (alerts: string) => `version: 1
storage:
  md:
    md0: { level: raid1, devices: [/dev/sdb, /dev/sdc] }
    md1: { level: raid1, devices: [/dev/sdd, /dev/sde] }
  bcache:
    bcache0: { backing: /dev/md1, cache: /dev/nvme0n1, mode: writethrough }
  btier:
    sdtiera: { devices: [/dev/sdf, /dev/sdg] }
scst:
  devices:
    mirror: { handler: vdisk_blockio, filename: /dev/md0 }
    cached: { handler: vdisk_blockio, filename: /dev/bcache0 }
    tiered: { handler: vdisk_blockio, filename: /dev/sdtiera }
  targets:
    iscsi:
      iqn.2026-01.com.example:stack: { luns: { 0: mirror, 1: cached, 2: tiered } }
policy:
  drift: { mode: correct, interval: 60s }
alerts:
  - { type: command, argv: [/usr/bin/tee, -a, ${alerts}] }
`;

const FAULTY = ['bcache/bcache0', 'btier/sdtiera', 'md/array/md0'];

describe('storage faults are hardware drift, alerted, never re-created', () => {
  let w: World;
  let alerts = '';
  const sim = () => ['--host', `sim:${w.sim}`, '--node', w.node];
  const ctl = (...a: string[]) => {
    const r = sanform(['sim', 'ctl', w.sim, ...a]);
    assert.equal(r.status, 0, r.all);
  };
  before(async () => {
    w = await makeWorld('sanform-stack-drift-');
    alerts = join(w.dir, 'alerts.jsonl');
    const p = w.push(STACK(alerts), 'md, bcache and btier under SCST');
    assert.equal(p.status, 0, p.all);
    const d = sanform(['drift', '-c', join(w.work, 'sanform.yaml'), ...sim()]);
    assert.equal(d.status, 0, `the pushed stack converged:\n${d.all}`);
    ctl('disk', 'fail', '/dev/sdc');
    ctl('disk', 'unplug', '/dev/nvme0n1');
    ctl('disk', 'unplug', '/dev/sdg');
  });
  after(() => w?.cleanup());

  it('sanform drift: each faulty layer once, class hardware, exit 2', () => {
    const r = sanform(['drift', '-c', join(w.work, 'sanform.yaml'), ...sim(), '--json']);
    assert.equal(r.status, 2, r.all);
    const items = (JSON.parse(r.stdout) as { drift: { address: string; driftClass?: string; fields: { field: string }[] }[] }).drift;
    const faults = items.filter((i) => i.fields.some((f) => f.field === 'fault'));
    assert.deepEqual(faults.map((i) => i.address).sort(), FAULTY);
    assert.ok(faults.every((i) => i.driftClass === 'hardware'), JSON.stringify(faults));
    for (const i of items) assert.equal(i.driftClass, 'hardware', `${i.address}: every drift here comes from the pulled disks`);
  });

  it('the plan re-creates, replaces and removes nothing of the faulty layers', () => {
    const r = sanform(['plan', '-c', join(w.work, 'sanform.yaml'), ...sim(), '--json']);
    assert.notEqual(r.status, 1, r.all);
    const plan = JSON.parse(r.stdout) as { changes: { address: string; action: string }[]; blocked: { address: string; unavailable?: string }[] };
    const destructive = plan.changes.filter((c) => c.action !== 'update' && c.address.match(/^(md|bcache|btier)\//));
    assert.deepEqual(destructive, []);
    for (const b of plan.blocked) assert.match(b.unavailable ?? '', /hardware fault|is not on this machine/, `${b.address} is blocked by the fault`);
  });

  it('watch --once (drift mode correct): exit 2, an alert naming each fault as hardware, nothing corrected', () => {
    const r = sanform(['watch', '--once', '--repo', w.repo, '--log-level', 'error']);
    assert.equal(r.status, 2, r.all);
    assert.ok(existsSync(alerts), `no alert was sent:\n${r.all}`);
    const sent = readFileSync(alerts, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; drift?: { address: string; class: string; field?: string }[] });
    const drift = sent.filter((a) => a.kind === 'drift').flatMap((a) => a.drift ?? []);
    const faults = drift.filter((d) => d.field === 'fault');
    assert.deepEqual([...new Set(faults.map((d) => d.address))].sort(), FAULTY);
    assert.ok(faults.every((d) => d.class === 'hardware'));
    assert.doesNotMatch(r.stdout, /applied|created|replaced/i, 'a faulty layer is not corrected');
  });

  it('the disks back: the btier member and the md array recover (drift of those ends)', () => {
    ctl('disk', 'plug', '/dev/sdg');
    const r = sanform(['drift', '-c', join(w.work, 'sanform.yaml'), ...sim(), '--json']);
    const items = (JSON.parse(r.stdout) as { drift: { address: string }[] }).drift.map((i) => i.address);
    assert.ok(!items.includes('btier/sdtiera'), items.join(' '));
    assert.ok(items.includes('md/array/md0'), 'the failed md member stays faulty until replaced');
  });
});
