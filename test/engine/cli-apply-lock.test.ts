/**
 * Issue 9: the apply lock comes before observing. While another process holds it, a second
 * `apply` says an apply is in progress (APPLY_IN_PROGRESS, exit 3) without printing a plan or a
 * false "interrupted" note; `plan` and `drift` say the same instead of reporting the half-made
 * state. An empty emulator lock (a kill between create and pid write) is broken at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHardware, initSimDir } from '../../drivers/sim/index.js';
import { runCli } from './cli-run.js';

const YAML = `version: 1
scst:
  devices:
    d0: { handler: vdisk_nullio, dummy: true }
`;

async function world(): Promise<{ dir: string; sim: string; args: string[]; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-applylock-'));
  const sim = join(dir, 'sim');
  await initSimDir(sim, defaultHardware());
  writeFileSync(join(dir, 'sanform.yaml'), YAML);
  return { dir, sim, args: ['-c', 'sanform.yaml', '--host', `sim:${sim}`], cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Another live process (the test runner) holds the apply lock, and its journal has no `end` yet. */
function applyRunning(sim: string): void {
  const state = join(sim, 'state');
  mkdirSync(state, { recursive: true });
  writeFileSync(join(state, 'lock'), JSON.stringify({ pid: process.ppid, since: '2026-01-01T00:00:00.000Z' }));
  writeFileSync(join(state, 'journal.jsonl'), `${JSON.stringify({ type: 'begin', run: 'r1', pid: process.ppid, at: '2026-01-01T00:00:00.000Z', observedHash: 'h', changes: 1 })}\n`);
}

test('apply, plan and drift during another apply say it is in progress and exit 3', async () => {
  const w = await world();
  try {
    applyRunning(w.sim);
    const apply = await runCli(w.dir, ['apply', ...w.args, '--auto-approve', '--lock-timeout', '0']);
    assert.equal(apply.code, 3, apply.err);
    assert.match(apply.err, /APPLY_IN_PROGRESS/);
    assert.match(apply.err, new RegExp(`pid ${process.ppid}`));
    assert.doesNotMatch(apply.out, /d0|Plan:/, 'no plan is printed');
    assert.doesNotMatch(apply.err, /interrupted/, 'a running apply is not called interrupted');
    for (const cmd of [['plan', '--detailed-exitcode'], ['drift']]) {
      const r = await runCli(w.dir, [...cmd, ...w.args]);
      assert.equal(r.code, 3, `${cmd[0]}: ${r.out}${r.err}`);
      assert.match(r.err, /APPLY_IN_PROGRESS: an apply is in progress/);
      assert.equal(r.out, '', `${cmd[0]} reports no differences`);
    }
    rmSync(join(w.sim, 'state', 'lock'));
    const done = await runCli(w.dir, ['apply', ...w.args, '--auto-approve']);
    assert.equal(done.code, 0, done.err);
    assert.match(done.err, /previous apply \(pid \d+, started 2026-01-01T00:00:00.000Z\) was interrupted/, 'once the holder is gone, its run is reported');
  } finally {
    w.cleanup();
  }
});

test('an empty emulator lock left by a kill is broken at once (no 30 s wait)', async () => {
  const w = await world();
  try {
    writeFileSync(join(w.sim, 'machine', 'lock'), '');
    mkdirSync(join(w.sim, 'state'), { recursive: true });
    writeFileSync(join(w.sim, 'state', 'lock'), '');
    // an empty lock taken for a live holder fails the apply (APPLY_IN_PROGRESS at once, or
    // SIM_LOCK_TIMEOUT after the emulator's 30 s)
    const r = await runCli(w.dir, ['apply', ...w.args, '--auto-approve', '--lock-timeout', '0']);
    assert.equal(r.code, 0, r.err);
  } finally {
    w.cleanup();
  }
});
