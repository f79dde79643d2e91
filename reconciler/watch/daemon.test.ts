import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Alert, AlertSink } from '../alerts/types.js';
import { startWatch } from './daemon.js';
import type { GitopsContext } from './types.js';

describe('watch daemon', () => {
  it('a cycle that keeps failing (repo unmounted) is alerted once and never ends the daemon', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sanform-daemon-'));
    const alerts: Alert[] = [];
    const sink: AlertSink = { name: 'mem', send: async (a) => void alerts.push(a) };
    // every failed cycle is logged by the loop: wait for several of them, not for a time
    let failedCycles = 0;
    let sawCycles!: () => void;
    const severalCycles = new Promise<void>((r) => (sawCycles = r));
    const quiet = {
      info() {},
      warn() {},
      error() {
        if (++failedCycles === 4) sawCycles();
      },
    };
    const fail = () => Promise.reject(new Error('engine must not be called'));
    const ctx: GitopsContext = {
      repo: join(dir, 'not-mounted', 'sanform.git'), node: 'a', hostId: 'sim:x', stateDir: join(dir, 'state'), logger: quiet,
      engine: { plan: fail, apply: fail, observe: fail, lock: fail },
      alerter: { sinks: [sink], raise: async (a) => (await sink.send(a), [{ sink: 'mem', ok: true }]), close: async () => undefined },
    };
    const loop = await startWatch({ ctx, intervalMs: 20, debounceMs: 10 });
    try {
      assert.ok(existsSync(join(dir, 'state', 'watch.pid')));
      await severalCycles;
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0]?.kind, 'watch-error');
      assert.equal(alerts[0]?.error?.code, 'STATE_REPO_MISSING');
      await loop.stop();
      assert.equal(existsSync(join(dir, 'state', 'watch.pid')), false);
    } finally {
      await loop.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
