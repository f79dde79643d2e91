/**
 * A push to one node of a pair, with the real git CLI and the hooks `sanform init` installs: the
 * post-receive hook forwards the commit to the peer's bare state repository (whose own hook
 * leaves the apply to the rollout), rolls the pair out standby first, and records each node's
 * apply on refs/sanform/<node>/applied. A peer repository that cannot take the commit (it was
 * initialized on its own, so its main is not an ancestor) is named as behind and nothing is applied.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHardware, initSimDir } from '../../drivers/sim/index.js';
import { linkSimDirs } from '../../drivers/sim/pair.js';
import { git, run, sanform } from '../gitops/helpers.js';

const PAIR = readFileSync(new URL('./pair.yaml', import.meta.url), 'utf8');

/** pair.yaml with each node's host and state repository. */
const yamlFor = (dir: string, repoB: string) =>
  PAIR.replace('esos-a: { host: "sim:a" }', `esos-a: { host: "sim:${join(dir, 'a')}", repo: "${join(dir, 'ra.git')}" }`)
    .replace('esos-b: { host: "sim:b" }', `esos-b: { host: "sim:${join(dir, 'b')}", repo: "${repoB}" }`);

async function world(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-pair-hook-'));
  await initSimDir(join(dir, 'a'), { ...defaultHardware(), hostname: 'esos-a' });
  await initSimDir(join(dir, 'b'), { ...defaultHardware(), hostname: 'esos-b' });
  await linkSimDirs(join(dir, 'a'), join(dir, 'b'));
  const a = sanform(['init', '--repo', join(dir, 'ra.git'), '--host', `sim:${join(dir, 'a')}`, '--node', 'esos-a']);
  assert.equal(a.status, 0, a.all);
  noAutoGc(join(dir, 'ra.git'));
  return dir;
}

/** A receiving repository packs itself in the background after a push; not while the test removes it. */
const noAutoGc = (repo: string) => assert.equal(run(['git', '--git-dir', repo, 'config', 'receive.autogc', 'false']).status, 0);

const rev = (repo: string, ref: string) => run(['git', '--git-dir', repo, 'rev-parse', '--verify', '-q', ref]).stdout.trim();

function pushFrom(dir: string, yaml: string): ReturnType<typeof git> {
  const work = join(dir, 'work');
  if (!rev(join(work, '.git'), 'HEAD')) assert.equal(run(['git', 'clone', '-q', join(dir, 'ra.git'), work]).status, 0);
  writeFileSync(join(work, 'sanform.yaml'), yaml);
  assert.equal(git(work, 'commit', '-q', '-am', 'the pair').status, 0);
  return git(work, 'push', 'origin', 'main');
}

test('post-receive on a pair: forwards the commit to the peer, rolls out standby first, records both nodes', { timeout: 300_000 }, async () => {
  const dir = await world();
  try {
    const ra = join(dir, 'ra.git');
    const rb = join(dir, 'rb.git');
    const b = sanform(['init', '--repo', rb, '--host', `sim:${join(dir, 'b')}`, '--node', 'esos-b', '--from', ra]);
    assert.equal(b.status, 0, b.all);
    noAutoGc(rb);
    const start = rev(rb, 'main');
    assert.equal(start, rev(ra, 'main'), 'init --from starts the peer at the same main');

    const p = pushFrom(dir, yamlFor(dir, rb));
    assert.equal(p.status, 0, p.all);
    const pushed = rev(ra, 'main');
    assert.match(p.all, new RegExp(`remote: sanform: esos-b's state repository was behind \\(main at ${start.slice(0, 12)}\\); forwarded ${pushed.slice(0, 12)}`));
    assert.equal(rev(rb, 'main'), pushed, 'the peer repository has the pushed commit');
    // the peer's own hook did not apply it: the rollout does
    assert.equal(rev(rb, 'refs/sanform/esos-b/applied'), '');
    const order = [...p.all.matchAll(/^remote: == (esos-[ab]) \((standby|active)\) ==\s*$/gm)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(order, ['esos-b standby', 'esos-a active']);
    assert.match(p.all, /remote: Pair rollout complete: standby then active\./);
    for (const node of ['esos-a', 'esos-b']) {
      const recorded = rev(ra, `refs/sanform/${node}/applied`);
      assert.match(recorded, /^[0-9a-f]{40}$/, `${node} has a record`);
      assert.match(p.all, new RegExp(`remote: Recorded ${node}'s apply as ${recorded} on refs/sanform/${node}/applied\\.`));
      const meta = JSON.parse(run(['git', '--git-dir', ra, 'show', `${recorded}:record.json`]).stdout) as { node: string; desiredRevision: string; ok: boolean; counts: { applied: number } };
      assert.deepEqual([meta.node, meta.desiredRevision, meta.ok], [node, pushed, true]);
      assert.ok(meta.counts.applied > 0);
    }
    for (const n of ['a', 'b']) {
      const plan = sanform(['plan', '-c', join(dir, 'work', 'sanform.yaml'), '--host', `sim:${join(dir, n)}`, '--node', `esos-${n}`, '--detailed-exitcode']);
      assert.equal(plan.status, 0, plan.all);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
});

test('post-receive on a pair: a peer repository that cannot take the commit is named as behind; nothing is applied', { timeout: 300_000 }, async () => {
  const dir = await world();
  try {
    const rb = join(dir, 'rb.git');
    // initialized on its own: its main is a different root, never an ancestor of a push to esos-a
    assert.equal(sanform(['init', '--repo', rb, '--host', `sim:${join(dir, 'b')}`, '--node', 'esos-b']).status, 0);
    const theirs = rev(rb, 'main');
    const p = pushFrom(dir, yamlFor(dir, rb));
    assert.match(p.all, new RegExp(`remote: sanform.*PAIR_REPO_BEHIND: esos-b's state repository is behind \\(main at ${theirs.slice(0, 12)}, here [0-9a-f]{12}\\)`));
    assert.match(p.all, /remote:\s+hint: start the peer's repository from this one \(sanform init --repo PATH --from URL\)/);
    assert.equal(rev(rb, 'main'), theirs);
    for (const node of ['esos-a', 'esos-b']) assert.equal(rev(join(dir, 'ra.git'), `refs/sanform/${node}/applied`), '', `${node}: nothing recorded`);
    const plan = sanform(['plan', '-c', join(dir, 'work', 'sanform.yaml'), '--host', `sim:${join(dir, 'b')}`, '--node', 'esos-b', '--detailed-exitcode']);
    assert.equal(plan.status, 2, 'esos-b was not touched');
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
});
