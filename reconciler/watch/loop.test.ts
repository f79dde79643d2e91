import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLoop, type Trigger } from './loop.js';
import { parseInterval } from './interval.js';

const quiet = { info() {}, warn() {}, error() {} };

describe('watch loop', () => {
  it('runs at start and every interval; a throwing cycle never ends it; stop is clean', async () => {
    const seen: string[] = [];
    let n = 0;
    const loop = createLoop({
      cycle: async (r) => {
        seen.push([...r].join('+'));
        if (++n === 2) throw new Error('apply failed');
      },
      intervalMs: () => 20,
      logger: quiet,
    });
    await loop.start();
    await sleep(110);
    await loop.stop();
    const after = seen.length;
    await sleep(50);
    assert.equal(seen[0], 'start');
    assert.ok(after >= 3, `cycles: ${after}`);
    assert.ok(seen.slice(1).every((s) => s === 'interval'));
    assert.equal(seen.length, after);
  });

  it('debounces ref events and coalesces triggers that arrive during a cycle', async () => {
    const seen: ReadonlySet<Trigger>[] = [];
    let fire!: () => void;
    let slow = true;
    const loop = createLoop({
      cycle: async (r) => {
        seen.push(r);
        if (slow) {
          slow = false;
          await sleep(60);
        }
      },
      intervalMs: () => 10_000,
      debounceMs: 15,
      watchRefs: async (cb) => ((fire = cb), async () => undefined),
      logger: quiet,
    });
    await loop.start();
    for (let i = 0; i < 5; i++) fire();
    await sleep(30);
    loop.trigger('interval');
    await sleep(80);
    await loop.stop();
    assert.deepEqual(seen.map((s) => [...s].sort().join('+')), ['start', 'interval+ref']);
  });

  it('parses drift intervals', () => {
    assert.deepEqual(['60s', '5m', '1h', '250ms', '30', 'x'].map(parseInterval), [60_000, 300_000, 3_600_000, 250, 30_000, undefined]);
  });
});
