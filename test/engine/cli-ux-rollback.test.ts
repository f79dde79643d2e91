/**
 * rollback asks like apply: it shows the plan, asks on a terminal, refuses without
 * --auto-approve when stdin is not one, and a refused or cancelled rollback leaves main and the
 * machine as they were. One emulated machine with a state repo and two pushes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { git, makeWorld, YAML } from '../gitops/helpers.js';
import { runCli } from './cli-run.js';

test('rollback shows the plan and asks; refused or cancelled, main and the machine stay', { timeout: 120_000 }, async () => {
  const w = await makeWorld('sanform-uxrb-');
  try {
    assert.equal(w.push(YAML.base, 'base').status, 0);
    assert.equal(w.push(YAML.base.replace('    vm1:', '    vm2: { handler: vdisk_nullio }\n    vm1:'), 'add vm2').status, 0);
    const env = { SANFORM_REPO: w.repo };
    const main0 = git(w.repo, 'rev-parse', 'main').stdout.trim();
    const hasVm2 = async (): Promise<boolean> => /scst\/device\/vm2/.test((await runCli(w.dir, ['observe', '--host', `sim:${w.sim}`])).out);
    assert.equal(await hasVm2(), true);

    const refused = await runCli(w.dir, ['rollback'], env);
    assert.equal(refused.code, 1, refused.out + refused.err);
    assert.match(refused.out, /- scst\/device\/vm2/, 'the plan is shown before the refusal');
    assert.match(refused.err, /stdin is not a terminal; pass --auto-approve/);
    assert.equal(git(w.repo, 'rev-parse', 'main').stdout.trim(), main0, 'main unchanged');
    assert.equal(await hasVm2(), true, 'machine unchanged');

    const no = await runCli(w.dir, ['rollback'], env, { tty: 'no' });
    assert.equal(no.code, 1, no.out + no.err);
    assert.match(no.err, /Only "yes" is accepted/);
    assert.match(no.err, /cancelled/);
    assert.equal(git(w.repo, 'rev-parse', 'main').stdout.trim(), main0);
    assert.equal(await hasVm2(), true);

    const yes = await runCli(w.dir, ['rollback'], env, { tty: 'yes' });
    assert.equal(yes.code, 0, yes.out + yes.err);
    assert.notEqual(git(w.repo, 'rev-parse', 'main').stdout.trim(), main0, 'a new commit on main');
    assert.equal(await hasVm2(), false, 'applied');

    // back to "add vm2", without a terminal: --auto-approve is an option of rollback
    const auto = await runCli(w.dir, ['rollback', '--auto-approve'], env);
    assert.equal(auto.code, 0, auto.out + auto.err);
    assert.match(auto.out, /\+ scst\/device\/vm2/);
    assert.equal(await hasVm2(), true);
  } finally {
    w.cleanup();
  }
});

test("rollback's help names --auto-approve", async () => {
  const h = await runCli('/', ['rollback', '--help']);
  assert.equal(h.code, 0);
  assert.match(h.out, /--auto-approve/);
});
