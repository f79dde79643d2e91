/**
 * `sanform sim mount | umount` as a user runs them: background mount and umount, a stale mount
 * (server killed) recovered by the next mount, a live one refused, and the foreground mount
 * unmounting on SIGTERM, even one sent while it is still mounting, and when killed outright.
 */
import { test, describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { execa, type ResultPromise } from 'execa';
import { defaultHardware, initSimDir } from '../../drivers/sim/index.js';
import { findMount } from '../../drivers/sim/fuse/mountinfo.js';
import { unmountFs } from '../../drivers/sim/fuse/mount.js';
import { fuseSkip } from './fixture.js';
import { SANFORM_BIN } from '../bin.js';

const BIN = SANFORM_BIN;
const SERVER = fileURLToPath(new URL('../../drivers/sim/fuse/server.ts', import.meta.url));
const T = { timeout: 60_000 };
const sanform = (...args: string[]) => execa(process.execPath, [BIN, ...args], { reject: false, timeout: 60_000 });
const sh = (file: string, ...args: string[]) => execa(file, args, { reject: false, timeout: 10_000 });

async function until(cond: () => boolean, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; !cond(); await new Promise((r) => setTimeout(r, 25))) {
    if (Date.now() > end) throw new Error('condition not met in time');
  }
}

describe('sanform sim mount / umount', { skip: fuseSkip() }, () => {
  let dir: string;
  let sim: string;
  let mnt: string;
  let fg: ResultPromise | undefined;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sanform-fusecli-'));
    sim = join(dir, 'sim');
    mnt = join(dir, 'mnt');
    await initSimDir(sim, defaultHardware());
  });
  afterEach(async () => {
    if (fg && fg.exitCode === null) fg.kill('SIGKILL');
    fg = undefined;
    await unmountFs(mnt, { ifMounted: true, timeoutMs: 3000 }).catch(() => sh('fusermount', '-u', '-z', mnt));
  });
  after(() => {
    if (!findMount(mnt)) rmSync(dir, { recursive: true, force: true });
  });

  test('--background prints the server pid; a live mount is refused; umount stops it', T, async () => {
    const r = await sanform('sim', 'mount', sim, mnt, '--background');
    assert.equal(r.exitCode, 0, r.stderr);
    const pid = Number(r.stdout.trim());
    assert.equal(findMount(mnt)?.source, `sanform:${pid}`);
    assert.match((await sh('ls', join(mnt, 'handlers'))).stdout, /vdisk_fileio/);
    const again = await sanform('sim', 'mount', sim, mnt, '--background');
    assert.equal(again.exitCode, 1);
    assert.match(again.stderr, /FUSE_ALREADY_MOUNTED/);
    const un = await sanform('sim', 'umount', mnt);
    assert.equal(un.exitCode, 0, `${un.stderr}\n${(await sh('cat', join(sim, 'state', 'fuse-server.log'))).stdout}`);
    assert.equal(findMount(mnt), undefined);
    const none = await sanform('sim', 'umount', mnt);
    assert.equal(none.exitCode, 1);
    assert.match(none.stderr, /FUSE_NOT_MOUNTED/);
  });

  test('a stale mount (server killed) is cleared by the next mount', T, async () => {
    const r = await sanform('sim', 'mount', sim, mnt, '--background');
    process.kill(Number(r.stdout.trim()), 'SIGKILL');
    assert.match((await sh('ls', mnt)).stderr, /Transport endpoint is not connected|Software caused connection abort/);
    const r2 = await sanform('sim', 'mount', sim, mnt, '--background');
    assert.equal(r2.exitCode, 0, r2.stderr);
    assert.equal(findMount(mnt)?.source, `sanform:${r2.stdout.trim()}`);
    assert.equal((await sh('ls', join(mnt, 'devices'))).exitCode, 0);
  });

  test('the foreground mount unmounts on SIGTERM, even one sent while it is mounting', T, async () => {
    fg = execa(process.execPath, [BIN, 'sim', 'mount', sim, mnt], { reject: false, timeout: 60_000 });
    await until(() => findMount(mnt) !== undefined);
    fg.kill('SIGTERM'); // the server is up; the command may still be checking the mount
    const r = await fg;
    assert.equal(r.exitCode, 0, String(r.stderr));
    assert.match(String(r.stderr), /unmounted/);
    assert.equal(findMount(mnt), undefined);
  });

  test('a foreground mount whose command is killed outright does not outlive it', T, async () => {
    fg = execa(process.execPath, [BIN, 'sim', 'mount', sim, mnt], { reject: false, timeout: 60_000 });
    await until(() => findMount(mnt) !== undefined);
    fg.kill('SIGKILL');
    await until(() => findMount(mnt) === undefined, 10_000);
  });

  test('a parent gone before the mount is ready (its `ready` pipe closed) leaves no mount behind', T, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', SERVER, '--sim', sim, mnt, '--exit-with-parent'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.stdout!.destroy(); // the server's `ready` line will meet EPIPE, as when its parent was killed
    await until(() => findMount(mnt) !== undefined);
    child.stdin!.end(); // and then the parent is gone
    assert.equal(await exited, 0, stderr);
    assert.equal(findMount(mnt), undefined);
    assert.doesNotMatch(stderr, /EPIPE/);
  });
});
