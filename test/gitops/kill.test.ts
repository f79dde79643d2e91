/**
 * Acceptance (issue 9): `apply --repo` killed with SIGKILL at random points, including between the
 * journal's end and the record commit and between the record commit and the journal saying so.
 * Each time the next `sanform apply --repo` records the killed run exactly once (rebuilt from the
 * journal), converges, and the plan after it is empty. The points are drawn from a seed printed in
 * the test names (SANFORM_KILL_SEED=N reruns one draw).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRecords } from '../../reconciler/state/history.js';
import { openStore } from '../../reconciler/state/store.js';
import { fiftyOps, yamlOf } from '../engine/scst-helpers.js';
import { childScript } from '../bin.js';
import { git, makeWorld, runAsync, SANFORM } from './helpers.js';

const child = fileURLToPath(new URL('./kill-child.ts', import.meta.url));
const seed = Number(process.env.SANFORM_KILL_SEED ?? Date.now() % 100_000);

/** A small deterministic generator (mulberry32), so a seed names one draw of points. */
function random(s: number): () => number {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(seed);
const points = [
  'log:finished; recording', // after the journal's end, before the record commit
  'log:record written', // after the record commit, before the journal's `recorded` line
  ...Array.from({ length: 3 }, () => `write:${1 + Math.floor(next() * 45)}:${next() < 0.5 ? 'before' : 'after'}`),
];

/** sanform without blocking the event loop: the draws run side by side, each in its own world. */
const sanform = (args: string[]) => runAsync([process.execPath, SANFORM, ...args]);

/** runs the child to its end; how it ended. */
function runChild(args: string[]): Promise<{ signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [...childScript(child), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => c.kill('SIGTERM'), 120_000);
    c.on('close', (_code, signal) => {
      clearTimeout(timer);
      resolve({ signal, out });
    });
  });
}

const lastRun = (sim: string): string => (JSON.parse(readFileSync(join(sim, 'state', 'journal.jsonl'), 'utf8').split('\n')[0]!) as { run: string }).run;

// each draw has a world of its own (machine, repository, clone): they run concurrently
describe('kill -9 during apply --repo', { concurrency: true }, () => {
  for (const point of points) {
    test(`killed at ${point} (seed ${seed}): the next apply records the killed run once and converges`, async () => {
      const w = await makeWorld('sanform-kill-');
      try {
        const yaml = yamlOf(fiftyOps());
        writeFileSync(join(w.work, 'sanform.yaml'), yaml);
        assert.equal(git(w.work, 'commit', '-q', '-am', 'fifty ops').status, 0);
        // into main without the push hooks (which would apply it): the child applies it
        assert.equal(git(w.repo, 'fetch', '-q', w.work, '+main:main').status, 0);
        const killed = await runChild([w.repo, w.sim, w.node, point]);
        assert.equal(killed.signal, 'SIGKILL', `not killed: ${killed.out}`);
        const run = lastRun(w.sim);

        const again = await sanform(['apply', '--repo', w.repo, '--host', `sim:${w.sim}`, '--node', w.node, '--auto-approve', '--lock-timeout', '0']);
        assert.equal(again.status, 0, again.all);
        assert.match(again.all, new RegExp(`apply run ${run} was killed`));

        const records = await readRecords(await openStore(w.repo), { node: w.node, limit: 10, refs: ['applied'] });
        const mine = records.filter((r) => r.meta.run === run);
        assert.equal(mine.length, 1, `the killed run is recorded exactly once: ${JSON.stringify(records.map((r) => r.meta))}`);
        const rec = mine[0]!.meta;
        if (point === 'log:record written') {
          assert.equal(rec.rebuilt, undefined, 'the record it wrote itself stands');
        } else if (point === 'log:finished; recording') {
          assert.equal(rec.rebuilt, 'unrecorded');
          assert.equal(rec.ok, true);
          assert.ok(rec.counts.applied > 0 && rec.counts.failed + rec.counts.skipped === 0, JSON.stringify(rec.counts));
        } else {
          assert.equal(rec.rebuilt, 'interrupted');
          assert.equal(rec.ok, false);
        }
        assert.ok(records.some((r) => r.meta.run !== run && r.meta.ok), 'the converging run is recorded too');
        assert.equal(existsSync(join(w.sim, 'state', 'lock')), false, 'no lock left');

        const plan = await sanform(['plan', '-c', join(w.work, 'sanform.yaml'), '--host', `sim:${w.sim}`, '--node', w.node, '--detailed-exitcode']);
        assert.equal(plan.status, 0, `converged: ${plan.all}`);
        const third = await sanform(['apply', '--repo', w.repo, '--host', `sim:${w.sim}`, '--node', w.node, '--auto-approve']);
        assert.equal(third.status, 0, third.all);
        assert.doesNotMatch(third.all, /was killed|interrupted/, 'nothing is rebuilt twice');
      } finally {
        w.cleanup();
      }
    });
  }
});
