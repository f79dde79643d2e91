/**
 * Failures of the boot medium (DESIGN §7): with the state repo on a small tmpfs that is made
 * read-only, then full, a good apply stays good (exit 0, the kernel converged), its record waits
 * in the host's stateDir and an alert is raised; the next run writes it. The repo stays intact.
 * Needs root (mount); skipped otherwise.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultHardware, initSimDir, openSimHost } from '../../drivers/sim/index.js';
import { git, makeWorld, sanform, YAML, type World } from './helpers.js';

const canMount = (): boolean => {
  if (process.getuid?.() !== 0) return false;
  const probe = spawnSync('mount', ['--version']);
  return probe.status === 0;
};

const mount = (...args: string[]) => execFileSync('mount', args, { stdio: 'pipe' });

describe('read-only and full state medium', { skip: !canMount() && 'needs root and mount' }, () => {
  let w: World;
  let conf: string;
  let mounted = false;
  before(async () => {
    w = await makeWorld('sanform-medium-', {
      beforeInit: (dir) => {
        conf = dir;
        mount('-t', 'tmpfs', '-o', 'size=4m', 'sanform-test', dir);
        mounted = true;
      },
    });
    const p = w.push(YAML.base, 'storage');
    assert.equal(p.status, 0, p.all);
  });
  after(() => {
    if (mounted) spawnSync('umount', [conf]);
    w?.cleanup();
  });

  const ref = () => git(w.repo, 'rev-parse', `refs/sanform/${w.node}/applied`).stdout.trim();
  const pending = () => readdirSync(join(w.sim, 'state', 'pending-records'));
  const devices = async () => (await (await openSimHost(w.sim)).sysfs.list('/sys/kernel/scst_tgt/devices')).filter((d) => !/^\d+:/.test(d)).sort();
  const reboot = () => initSimDir(w.sim, defaultHardware());

  it('read-only: boot apply succeeds, the record waits, an alert is raised; the next run writes it', async () => {
    const before = ref();
    await reboot();
    assert.deepEqual(await devices(), []);
    mount('-o', 'remount,ro', conf);
    const r = sanform(['apply', '--boot', '--repo', w.repo]);
    assert.equal(r.status, 0, r.all);
    assert.match(r.stdout, /boot of [0-9a-f]{12}: applied/);
    assert.match(r.stdout, /WARNING: the record could not be written \(EROFS/);
    assert.match(r.stderr, /"alert":"record-failed"/);
    assert.deepEqual(await devices(), ['lun0', 'vm1']);
    assert.equal(pending().length, 1);
    assert.equal(ref(), before);
    mount('-o', 'remount,rw', conf);
    const again = sanform(['watch', '--once', '--repo', w.repo]);
    assert.equal(again.status, 0, again.all);
    assert.deepEqual(pending(), []);
    // the default log level (warn) holds for watch too: its info lines (records written) stay out
    assert.doesNotMatch(again.stderr, /"level":30/);
    assert.notEqual(ref(), before);
    const meta = JSON.parse(git(w.repo, 'show', `${ref()}:record.json`).stdout);
    assert.equal(meta.kind, 'boot');
    assert.equal(meta.ok, true);
  });

  it('full: the same, and the repo stays consistent (git fsck)', async () => {
    const before = ref();
    await reboot();
    const filler = join(conf, 'filler');
    spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' });
    const r = sanform(['apply', '--boot', '--repo', w.repo]);
    assert.equal(r.status, 0, r.all);
    assert.match(r.stdout, /WARNING: the record could not be written \(ENOSPC/);
    assert.equal(pending().length, 1);
    assert.equal(ref(), before);
    assert.equal(git(w.repo, 'fsck', '--strict').status, 0);
    rmSync(filler);
    const again = sanform(['watch', '--once', '--repo', w.repo]);
    assert.equal(again.status, 0, again.all);
    assert.deepEqual(pending(), []);
    assert.notEqual(ref(), before);
    assert.equal(git(w.repo, 'fsck', '--strict').status, 0);
  });
});
