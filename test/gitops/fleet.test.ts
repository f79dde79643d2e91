/**
 * A fleet end to end with the real git CLI and real SSH signatures: one bare central repository,
 * five emulated appliances each running `sanform watch --once --upstream`, a signed change rolled
 * out in two waves, a failure in the canary wave holding the next, an unsigned and a foreign-signed
 * commit refused everywhere, a node cut off from the upstream, `fleet status`, and an appliance's
 * own pre-receive hook enforcing the same signing rule.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultHardware, initSimDir } from '../../drivers/sim/index.js';
import { runCli } from '../engine/cli-run.js';
import { git, run } from './helpers.js';

/** sanform in-process (the hooks a push runs still start it as a process). */
const sanform = async (args: string[]): Promise<{ status: number; stdout: string; all: string }> => {
  const r = await runCli(process.cwd(), args, { ...process.env, NO_COLOR: '1' });
  return { status: r.code, stdout: r.out, all: `${r.out}${r.err}` };
};

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5'];
const IQN = 'iqn.2026-01.com.example:fleet';

const fleetYaml = (signer: string) => `version: 1
groups: { edge: {} }
nodes:
${NODES.map((n) => `  ${n}: { group: edge }`).join('\n')}
waves:
  - { name: canary, nodes: [n1, n2] }
  - { name: edge, groups: [edge] }
signing:
  allowedSigners: ["${signer}"]
`;

const GROUP = `version: 1
scst:
  devices:
    lun0: { handler: vdisk_nullio, dummy: true }
  targets:
    iscsi:
      ${IQN}:
        luns: { 0: lun0 }
policy:
  drift: { mode: warn, interval: 60s }
`;

const nodeYaml = (n: string) => `version: 1
scst:
  devices:
    local_${n}: { handler: vdisk_nullio }
`;

describe('fleet: pull-based GitOps with waves and signed commits', () => {
  let dir: string;
  let central: string;
  let work: string;
  const repoOf = (n: string) => join(dir, n, 'conf.git');
  const watch = (n: string) => sanform(['watch', '--once', '--repo', repoOf(n), '--log-level', 'error']);
  const mainOf = (n: string) => git(repoOf(n), 'rev-parse', 'main').stdout.trim();
  const recordOf = (repo: string, n: string) => {
    const r = git(repo, 'show', `refs/sanform/${n}/applied:record.json`);
    return r.status === 0 ? (JSON.parse(r.stdout) as { desiredRevision: string; ok: boolean }) : undefined;
  };
  /** commits what is in the work tree (signed with `key`, or unsigned) and pushes it to the central repo. */
  const publish = (message: string, key?: string): string => {
    assert.equal(git(work, 'add', '-A').status, 0);
    const c = key ? git(work, '-c', `user.signingkey=${key}`, 'commit', '-q', '-S', '-m', message) : git(work, 'commit', '-q', '-m', message);
    assert.equal(c.status, 0, c.all);
    assert.equal(git(work, 'push', '-q', 'origin', 'main').status, 0);
    return git(work, 'rev-parse', 'HEAD').stdout.trim();
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sanform-fleet-'));
    for (const who of ['admin', 'intruder']) {
      const k = run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', who, '-f', join(dir, who)]);
      assert.equal(k.status, 0, k.all);
    }
    const pub = readFileSync(join(dir, 'admin.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
    const signer = `admin@example.com ${pub}`;
    writeFileSync(join(dir, 'allowed_signers'), `${signer}\n`);
    central = join(dir, 'central.git');
    assert.equal(run(['git', 'init', '-q', '--bare', '-b', 'main', central]).status, 0);
    work = join(dir, 'work');
    assert.equal(run(['git', 'clone', '-q', central, work]).status, 0);
    git(work, 'config', 'gpg.format', 'ssh');
    mkdirSync(join(work, 'groups', 'edge'), { recursive: true });
    writeFileSync(join(work, 'fleet.yaml'), fleetYaml(signer));
    writeFileSync(join(work, 'groups', 'edge', 'scst.yaml'), GROUP);
    for (const n of NODES) {
      mkdirSync(join(work, 'nodes', n), { recursive: true });
      writeFileSync(join(work, 'nodes', n, 'node.yaml'), nodeYaml(n));
      await initSimDir(join(dir, n, 'sim'), { ...defaultHardware(), hostname: n });
      const init = await sanform(['init', '--repo', repoOf(n), '--host', `sim:${join(dir, n, 'sim')}`, '--node', n, '--upstream', central, '--allowed-signers', join(dir, 'allowed_signers')]);
      assert.equal(init.status, 0, init.all);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('validate checks the whole fleet; plan --all shows each node its own view', async () => {
    const v = await sanform(['validate', '-c', work]);
    assert.equal(v.status, 0, v.all);
    assert.match(v.stdout, /fleet of 5 node\(s\): valid/);
    const p = await sanform(['plan', '--all', '-c', work, '--repo', central]);
    assert.equal(p.status, 0, p.all);
    for (const n of NODES) assert.match(p.stdout, new RegExp(`=== ${n} \\(wave (canary|edge)\\)[^=]*\\+ scst/device/local_${n}`));
    assert.doesNotMatch(p.stdout, /local_n2[^=]*=== n1/);
  });

  it('a signed change rolls out canary first: the second wave waits, then follows', async () => {
    const rev = publish('fleet: first rollout', join(dir, 'admin'));
    const early = await watch('n3');
    assert.equal(early.status, 0, early.all);
    assert.match(early.stdout, /wave edge waits for wave canary to apply/);
    assert.notEqual(mainOf('n3'), rev, 'nothing is applied before the canaries');
    for (const n of ['n1', 'n2']) {
      const r = await watch(n);
      assert.equal(r.status, 0, r.all);
      assert.match(r.stdout, /verified \(signed by admin@example.com\)/);
      assert.deepEqual(recordOf(central, n), { ...recordOf(central, n), desiredRevision: rev, ok: true });
    }
    for (const n of ['n3', 'n4', 'n5']) assert.equal((await watch(n)).status, 0);
    for (const n of NODES) assert.equal(recordOf(central, n)?.desiredRevision, rev, `${n} recorded ${rev} in the central repo`);
    const show = await sanform(['sim', 'show', join(dir, 'n4', 'sim')]);
    assert.match(show.stdout, /local_n4/);
    assert.doesNotMatch(show.stdout, /local_n1/);
    const status = await sanform(['fleet', 'status', '--repo', central, '--json']);
    assert.equal(status.status, 0, status.all);
    const rows = (JSON.parse(status.stdout) as { nodes: { node: string; state: string; wave: string }[] }).nodes;
    assert.deepEqual(rows.map((r) => [r.node, r.wave, r.state]), [['n1', 'canary', 'applied'], ['n2', 'canary', 'applied'], ['n3', 'edge', 'applied'], ['n4', 'edge', 'applied'], ['n5', 'edge', 'applied']]);
  });

  it('a failure in the canary wave holds the next wave and says why', async () => {
    writeFileSync(join(work, 'nodes', 'n1', 'node.yaml'), `${nodeYaml('n1')}    bad0: { handler: vdisk_blockio, filename: /dev/sdzz }\n`);
    const rev = publish('n1: a disk it does not have', join(dir, 'admin'));
    assert.equal((await watch('n1')).status, 1);
    assert.equal(recordOf(central, 'n1')?.ok, false);
    assert.equal((await watch('n2')).status, 0);
    const held = await watch('n4');
    assert.equal(held.status, 1, held.all);
    assert.match(held.stdout, /wave edge holds [0-9a-f]{12}: it failed in wave canary on n1/);
    assert.notEqual(mainOf('n4'), rev);
    const status = await sanform(['fleet', 'status', '--repo', central]);
    assert.equal(status.status, 2);
    assert.match(status.stdout, /n1\s+canary\s+[0-9a-f]{12}\s+failed .*scst\/device\/bad0/);
    assert.match(status.stdout, /n4\s+edge\s+[0-9a-f]{12}\s+behind/);
    // fixed: everyone converges
    writeFileSync(join(work, 'nodes', 'n1', 'node.yaml'), nodeYaml('n1'));
    const fixed = publish('n1: fixed', join(dir, 'admin'));
    for (const n of NODES) assert.equal((await watch(n)).status, 0, n);
    for (const n of NODES) assert.equal(recordOf(central, n)?.desiredRevision, fixed);
  });

  it('drift seen on a node reaches fleet status through its pushed observe record, and clears there too', async () => {
    const sim = join(dir, 'n3', 'sim');
    const ctl = await sanform(['sim', 'ctl', sim, 'write', `targets/iscsi/${IQN}/luns/mgmt`, 'del 0']);
    assert.equal(ctl.status, 0, ctl.all);
    const r = await watch('n3');
    assert.equal(r.status, 2, r.all);
    const rows = JSON.parse((await sanform(['fleet', 'status', '--repo', central, '--json'])).stdout) as { nodes: { node: string; drift: Record<string, number> }[] };
    assert.ok((rows.nodes.find((x) => x.node === 'n3')!.drift.operator ?? 0) > 0, JSON.stringify(rows.nodes));
    assert.ok(rows.nodes.filter((x) => x.node !== 'n3').every((x) => Object.values(x.drift).every((n) => n === 0)));
    const fix = await sanform(['apply', '--repo', repoOf('n3'), '--auto-approve', '--log-level', 'error']);
    assert.equal(fix.status, 0, fix.all);
    assert.equal((await watch('n3')).status, 0);
    const after = JSON.parse((await sanform(['fleet', 'status', '--repo', central, '--json'])).stdout) as { nodes: { node: string; drift: Record<string, number> }[] };
    assert.ok(Object.values(after.nodes.find((x) => x.node === 'n3')!.drift).every((n) => n === 0), JSON.stringify(after.nodes));
  });

  it('plan --node shows one node its view; without it the host name picks the view', async () => {
    const p = await sanform(['plan', '-c', work, '--node', 'n2', '--host', `sim:${join(dir, 'n2', 'sim')}`, '--detailed-exitcode']);
    assert.equal(p.status, 0, p.all);
    const other = await sanform(['plan', '-c', work, '--node', 'n2', '--host', `sim:${join(dir, 'n1', 'sim')}`]);
    assert.match(other.stdout, /\+ scst\/device\/local_n2/);
    assert.match(other.stdout, /- scst\/device\/local_n1|unmanaged|local_n1/);
    const none = await sanform(['plan', '-c', work, '--host', `sim:${join(dir, 'n2', 'sim')}`]);
    assert.equal(none.status, 0, 'the host name (n2) picks the view');
  });

  it('unsigned and foreign-signed commits are refused on every node; nothing from them is applied', async () => {
    const good = mainOf('n1');
    writeFileSync(join(work, 'groups', 'edge', 'extra.yaml'), 'version: 1\nscst:\n  devices:\n    evil0: { handler: vdisk_nullio }\n');
    const unsigned = publish('unsigned change');
    for (const n of NODES) {
      const r = await watch(n);
      assert.equal(r.status, 1, r.all);
      assert.match(r.stdout, /refused: commit [0-9a-f]{12} is not signed/);
      assert.equal(mainOf(n), good);
    }
    assert.notEqual(unsigned, good);
    writeFileSync(join(work, 'groups', 'edge', 'extra2.yaml'), 'version: 1\n');
    publish('signed by a key the fleet does not allow', join(dir, 'intruder'));
    const r = await watch('n2');
    assert.equal(r.status, 1);
    assert.match(r.stdout, /is not signed by an allowed key/);
    assert.doesNotMatch((await sanform(['sim', 'show', join(dir, 'n2', 'sim')])).stdout, /evil0/);
  });

  it('a node cut off from the upstream keeps its applied state and says so', async () => {
    const before = mainOf('n5');
    renameSync(central, `${central}.away`);
    try {
      const r = await watch('n5');
      assert.equal(r.status, 0, r.all);
      assert.match(r.stdout, /upstream unreachable .*keeping the applied state/);
      assert.equal(mainOf('n5'), before);
    } finally {
      renameSync(`${central}.away`, central);
    }
  });

  it("an appliance's own pre-receive hook enforces the same signing rule", () => {
    const clone = join(dir, 'n3-clone');
    assert.equal(run(['git', 'clone', '-q', repoOf('n3'), clone]).status, 0);
    git(clone, 'config', 'gpg.format', 'ssh');
    writeFileSync(join(clone, 'nodes', 'n3', 'node.yaml'), `${nodeYaml('n3')}    more: { handler: vdisk_nullio }\n`);
    git(clone, 'commit', '-q', '-am', 'unsigned, pushed straight to the appliance');
    const refused = git(clone, 'push', 'origin', 'main');
    assert.notEqual(refused.status, 0);
    assert.match(refused.all, /push rejected: commit [0-9a-f]{12} is not signed/);
    git(clone, 'reset', '-q', '--soft', 'HEAD~1');
    assert.equal(git(clone, '-c', `user.signingkey=${join(dir, 'admin')}`, 'commit', '-q', '-S', '-m', 'signed').status, 0);
    const accepted = git(clone, 'push', 'origin', 'main');
    assert.equal(accepted.status, 0, accepted.all);
  });
});
