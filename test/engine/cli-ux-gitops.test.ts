/**
 * `--allow` on the commands that apply a revision of the state repository (apply --repo,
 * rollback): an address that matches no change of the plan is warned about on stderr, and the
 * command still applies. One emulated machine with a state repo, two pushes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeWorld, YAML } from '../gitops/helpers.js';
import { runCli } from './cli-run.js';

const typo = 'scst/device/vm9';
const warned = /warning: --allow scst\/device\/vm9 matches no change/;

test('apply --repo and rollback warn about an --allow that matches no change', { timeout: 120_000 }, async () => {
  const w = await makeWorld('sanform-uxgit-');
  try {
    assert.equal(w.push(YAML.base, 'base').status, 0);
    assert.equal(w.push(YAML.base.replace('    vm1:', '    vm2: { handler: vdisk_nullio }\n    vm1:'), 'add vm2').status, 0);
    const env = { SANFORM_REPO: w.repo };
    const a = await runCli(w.dir, ['apply', '--repo', w.repo, '--auto-approve', '--allow', typo], env);
    assert.equal(a.code, 0, a.out + a.err);
    assert.match(a.err, warned);
    const r = await runCli(w.dir, ['rollback', '--auto-approve', '--allow', typo], env);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.err, warned);
    const ok = await runCli(w.dir, ['rollback', '--auto-approve', '--allow', 'scst/device/vm2'], env);
    assert.equal(ok.code, 0, ok.out + ok.err);
    assert.doesNotMatch(ok.err, /warning: --allow/, 'an --allow that names a change of the plan is not warned about');
  } finally {
    w.cleanup();
  }
});
