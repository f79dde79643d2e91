/**
 * `sanform watch` as a process: it applies main at start, writes its pid file (the post-receive
 * hand-off), and stops cleanly on SIGTERM (exit 0, pid file removed).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { git, makeWorld, SANFORM, type World } from './helpers.js';

describe('sanform watch process', () => {
  let w: World;
  before(async () => {
    w = await makeWorld('sanform-daemon-');
  });
  after(() => w?.cleanup());

  it('applies main at start and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [SANFORM, 'watch', '--repo', w.repo, '--interval', '300ms', '--log-level', 'info'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const pidFile = join(w.sim, 'state', 'watch.pid');
    // waits for the record (however loaded the machine), failing at once if watch exits early
    await new Promise<void>((resolve, reject) => {
      const poll = (): void => {
        if (child.exitCode !== null) return reject(new Error(`watch exited (${child.exitCode}) before recording: ${err}`));
        if (git(w.repo, 'rev-parse', '-q', '--verify', `refs/sanform/${w.node}/applied`).status === 0) return resolve();
        setTimeout(poll, 100);
      };
      poll();
    });
    assert.ok(existsSync(pidFile));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, err);
    assert.equal(existsSync(pidFile), false);
    assert.match(err, /sanform watch stopped/);
  });
});
