/**
 * End to end with the real git CLI on an emulated host (--host sim:DIR): clone, push an invalid
 * config (rejected with file:line:col), a valid one (applied and recorded), a change that needs an
 * approval without it (rejected, address named) and with it (applied), then roll back.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { git, makeWorld, run, sanform, YAML, type World } from './helpers.js';

const IQN = 'iqn.2026-01.com.example:esos.vm';

describe('git push flow (real git CLI, emulated host)', () => {
  let w: World;
  let applied: string;
  before(async () => {
    w = await makeWorld('sanform-push-');
  });
  after(() => w?.cleanup());

  const ref = (name: string) => git(w.repo, 'rev-parse', '--verify', '-q', name).stdout.trim();
  const show = (spec: string) => git(w.repo, 'show', spec).stdout;

  it('rejects an invalid config and shows the pusher file:line:col', () => {
    const bad = YAML.base.replace('vm1: { handler: vdisk_blockio, filename: /dev/sdb }', 'vm1: { handler: vdisk_blockio, filename: /dev/sdb, blocksize: 1000 }');
    const before = ref('main');
    const p = w.push(bad, 'bad blocksize');
    assert.notEqual(p.status, 0);
    assert.match(p.all, /remote: sanform: push rejected/);
    assert.match(p.all, /remote: sanform\.yaml:5:\d+: error [A-Z_]+/);
    assert.equal(ref('main'), before);
    assert.equal(ref('refs/sanform/esos-a/applied'), '');
  });

  it('applies a valid config and records the plan, outcome and snapshot', () => {
    const p = w.push(YAML.base, 'first storage');
    assert.equal(p.status, 0, p.all);
    assert.match(p.all, /remote: .*is valid/);
    assert.match(p.all, /remote: sanform apply of [0-9a-f]{12}: applied/);
    applied = ref('refs/sanform/esos-a/applied');
    assert.match(applied, /^[0-9a-f]{40}$/);
    assert.match(p.all, new RegExp(`remote: Recorded as ${applied} on refs/sanform/esos-a/applied\\.`));
    const meta = JSON.parse(show(`${applied}:record.json`));
    assert.equal(meta.desiredRevision, ref('main'));
    assert.equal(meta.ok, true);
    assert.ok(meta.counts.applied > 0);
    assert.match(show(`${applied}:observed/scst.device.json`), /"scst\/device\/vm1"/);
    assert.match(show(`${applied}:observed/scst.lun.json`), new RegExp(`group/esx/lun/0`));
    assert.ok(JSON.parse(show(`${applied}:plan.json`)).changes.length > 0);
    // observe hashed each kind of the snapshot after apply: the next record can reuse unchanged kind files
    assert.equal(meta.observedForm, 1);
    assert.ok(Object.keys(meta.kindHashes).includes('scst.device'));
    const log = sanform(['log', '--repo', w.repo]);
    assert.equal(log.status, 0, log.all);
    assert.match(log.stdout, /apply\s+[0-9a-f]{12}\s+ok/);
  });

  it('CI plans a change against the recorded snapshot, with no access to the machine', () => {
    const ci = join(w.dir, 'ci.yaml');
    writeFileSync(ci, YAML.base.replace('    vm1: { handler: vdisk_blockio, filename: /dev/sdb }', '    vm1: { handler: vdisk_blockio, filename: /dev/sdb }\n    vm3: { handler: vdisk_nullio }'));
    const gone = join(w.dir, 'no-such-machine');
    // a host and a snapshot to plan against are alternatives: naming both is a usage error
    assert.equal(sanform(['plan', '-c', ci, '--observed', 'git:esos-a', '--host', `sim:${gone}`], { env: { SANFORM_REPO: w.repo } }).status, 1);
    const p = sanform(['plan', '-c', ci, '--observed', 'git:esos-a', '--detailed-exitcode'], { env: { SANFORM_REPO: w.repo } });
    assert.equal(p.status, 2, p.all);
    assert.match(p.stdout, /\+ scst\/device\/vm3/);
    assert.match(p.stdout, /Plan: 1 to add, 0 to change/);
    const md = sanform(['plan', '-c', ci, '--observed', 'git:esos-a', '--repo', w.repo, '--markdown']);
    assert.equal(md.status, 0, md.all);
    assert.match(md.stdout, /scst\/device\/vm3/);
    const same = sanform(['plan', '-c', ci.replace('ci.yaml', 'work/sanform.yaml'), '--observed', 'git:esos-a', '--repo', w.repo, '--detailed-exitcode']);
    assert.equal(same.status, 0, same.all);
    assert.equal(sanform(['plan', '-c', ci, '--observed', 'git:nobody', '--repo', w.repo]).status, 1);
  });

  it('rejects an identity change without an approval and names the address', () => {
    const id = YAML.base.replace('filename: /dev/sdb }', 'filename: /dev/sdb, t10DevId: vm1-new }');
    const p = w.push(id, 'new t10 id');
    assert.notEqual(p.status, 0);
    assert.match(p.all, /remote: sanform: push rejected: 1 change\(s\) need an approval/);
    assert.match(p.all, /remote:\s+update scst\/device\/vm1 \[identity\]/);
    assert.equal(ref('refs/sanform/esos-a/applied'), applied);
  });

  it('rejects a hardware port the appliance does not have, naming the ports it has', () => {
    const fc = YAML.base.replace('  targets:\n', '  targets:\n    qla2x00t:\n      "21:00:00:24:ff:00:00:09": { luns: { 0: lun0 } }\n');
    assert.notEqual(fc, YAML.base);
    const p = w.push(fc, 'an FC port with a typo');
    assert.notEqual(p.status, 0);
    assert.match(p.all, /remote: sanform: push rejected: 3 change\(s\) cannot be made on this machine:/);
    assert.match(p.all, /remote:\s+create scst\/target\/qla2x00t\/21:00:00:24:ff:00:00:09: qla2x00t port 21:00:00:24:ff:00:00:09 is not on this machine \(ports here: 21:00:00:24:ff:00:00:01, 21:00:00:24:ff:00:00:02\)/);
    assert.doesNotMatch(p.all, /policy\.approvals/);
    assert.equal(ref('refs/sanform/esos-a/applied'), applied);
  });

  it('applies the identity change when the commit carries the approval', () => {
    const id = YAML.base
      .replace('filename: /dev/sdb }', 'filename: /dev/sdb, t10DevId: vm1-new }\n    vm2: { handler: vdisk_blockio, filename: /dev/sdc }')
      .replace('luns: { 0: vm1 }', 'luns: { 0: vm1, 1: vm2 }')
      .concat('  approvals:\n    - { address: scst/device/vm1, action: update, reason: "CHG-1: new serial" }\n');
    const p = w.push(id, 'approved t10 id, add vm2');
    assert.equal(p.status, 0, p.all);
    const now = ref('refs/sanform/esos-a/applied');
    assert.notEqual(now, applied);
    assert.equal(ref(`${now}^`), applied);
    assert.match(show(`${now}:observed/scst.device.json`), /vm1-new/);
    assert.match(show(`${now}:observed/scst.lun.json`), /group\/esx\/lun\/1/);
    const drift = git(w.repo, 'diff', applied, now, '--', 'observed/').stdout;
    assert.match(drift, /^\+"scst\/device\/vm2"/m);
  });

  it('rolls back to the previous good revision as a new commit on main, applied and recorded', () => {
    const headBefore = ref('main');
    // the earlier revision has no vm2: deleting an exported device is approved by name (issue 9)
    const r = sanform(['rollback', '--repo', w.repo, '--auto-approve', '--allow', 'scst/device/vm2']);
    assert.equal(r.status, 0, r.all);
    assert.equal(ref('main^'), headBefore);
    assert.equal(git(w.repo, 'rev-parse', 'main^{tree}').stdout, git(w.repo, 'rev-parse', `${JSON.parse(show(`${applied}:record.json`)).desiredRevision}^{tree}`).stdout);
    const rec = ref('refs/sanform/esos-a/applied');
    const meta = JSON.parse(show(`${rec}:record.json`));
    assert.equal(meta.kind, 'rollback');
    assert.equal(meta.desiredRevision, ref('main'));
    assert.equal(meta.ok, true);
    assert.doesNotMatch(show(`${rec}:observed/scst.device.json`), /"scst\/device\/vm2"/);
    const obs = sanform(['observe', '--host', `sim:${w.sim}`]);
    assert.doesNotMatch(obs.stdout, /scst\/device\/vm2/);
    assert.equal(run(['git', 'pull', '-q', '--ff-only'], { cwd: w.work }).status, 0);
    void IQN;
  });
});
