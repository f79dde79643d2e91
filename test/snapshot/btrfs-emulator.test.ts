/**
 * The sim's btrfs (drivers/snapshot/emulator.ts) against real btrfs on a loop device: the same
 * steps, run in a real file system and in the emulated one, give the same exit codes, stdout and
 * stderr (mount points, uuids and generation numbers normalised). Needs root, losetup and
 * mkfs.btrfs; skipped with the reason printed otherwise. The emulator's own use by plan/apply on
 * a sim host is tested in test/snapshot/sim.test.ts, which needs none of that.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BtrfsEmulator, memoryBtrfsStore } from '../../drivers/snapshot/emulator.js';
import { listSnapshots } from '../../drivers/snapshot/btrfs.js';

const why = (() => {
  if (process.getuid?.() !== 0) return 'needs root (loop devices, mount)';
  for (const tool of ['losetup', 'mkfs.btrfs', 'btrfs', 'findmnt']) if (spawnSync('which', [tool]).status !== 0) return `${tool} is not installed (apt-get install btrfs-progs util-linux)`;
  return undefined;
})();
if (why) console.log(`# skipped: btrfs emulator vs real btrfs: ${why}`);

describe('the emulated btrfs agrees with real btrfs', { skip: why }, () => {
  let dir: string;
  let loop: string;
  let real: string;
  let emu: string;
  let plain: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sanform-btrfs-emu-'));
    execFileSync('truncate', ['-s', '300M', join(dir, 'fs.img')]);
    loop = execFileSync('losetup', ['-f', '--show', join(dir, 'fs.img')], { encoding: 'utf8' }).trim();
    execFileSync('mkfs.btrfs', ['-q', loop], { stdio: 'ignore' });
    real = join(dir, 'real');
    emu = join(dir, 'emu');
    plain = join(dir, 'not-btrfs');
    for (const d of [real, emu, plain]) mkdirSync(d);
    execFileSync('mount', [loop, real]);
  });
  after(() => {
    spawnSync('umount', [real]);
    spawnSync('losetup', ['-d', loop]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('same output, errors and exit codes for the snapshot driver\'s commands, step by step', async () => {
    const btrfs = new BtrfsEmulator(memoryBtrfsStore(), emu);
    btrfs.mount(emu);
    const F = '<fs>';
    const steps: string[][] = [
      ['btrfs', 'subvolume', 'create', 's1'],
      ['btrfs', 'subvolume', 'create', 's1'],
      ['btrfs', 'subvolume', 'snapshot', '-r', 'plain', 'snap'],
      ['btrfs', 'subvolume', 'snapshot', '-r', 's1', 's1@a'],
      ['btrfs', 'subvolume', 'snapshot', '-r', 's1', 's1@a'],
      ['btrfs', 'subvolume', 'snapshot', 's1@a', 's1w'],
      ['btrfs', 'subvolume', 'list', '-u', '-q', '-R', F],
      ['btrfs', 'subvolume', 'delete', 'plain'],
      ['btrfs', 'subvolume', 'delete', `${F}/s1w`],
      ['btrfs', 'subvolume', 'delete', 'nonexistent'],
      ['btrfs', 'subvolume', 'snapshot', '-r', 'nonexistent', 'x'],
      ['btrfs', 'subvolume', 'create', 's1/inner'],
      ['btrfs', 'subvolume', 'snapshot', '-r', 's1', `${F}/s1@b`],
      ['btrfs', 'subvolume', 'list', '-u', '-q', '-R', F],
      ['mv', '-T', 's1', 's1x'],
      ['btrfs', 'subvolume', 'list', '-u', '-q', '-R', `${F}/s1x`],
      ['findmnt', '-n', '-o', 'TARGET,FSROOT', '-T', `${F}/s1x`],
      ['btrfs', 'subvolume', 'list', '-u', '-q', '-R', plain],
      ['btrfs', 'subvolume', 'create', `${plain}/sv`],
    ];
    for (const root of [real, emu]) {
      mkdirSync(join(root, 'plain'));
      writeFileSync(join(root, 'plain', 'f'), 'x');
    }
    const uuids = new Map<string, string>();
    const norm = (text: string, root: string): string =>
      text
        .split(root).join(F)
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (u) => {
          if (!uuids.has(`${root}:${u}`)) uuids.set(`${root}:${u}`, `U${[...uuids.keys()].filter((k) => k.startsWith(`${root}:`)).length}`);
          return uuids.get(`${root}:${u}`)!;
        })
        .replace(/ gen \d+ /g, ' gen G ')
        .replace(/ {2,}/g, ' ');
    for (const step of steps) {
      const r = spawnSync(step[0]!, step.slice(1).map((w) => w.replace(F, real)), { cwd: real, encoding: 'utf8' });
      const e = btrfs.exec(step.map((w) => w.replace(F, emu)));
      const got = { code: e.exitCode, out: norm(e.stdout, emu), err: norm(e.stderr, emu) };
      const want = { code: r.status, out: norm(r.stdout, real), err: norm(r.stderr, real) };
      assert.deepEqual(got, want, `step: ${step.join(' ')}`);
    }
    // the driver lists a set that sits inside a subvolume (btrfs shows those paths relative to it) alike on both
    for (const [root, run] of [[real, (argv: string[]) => spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' })], [emu, (argv: string[]) => btrfs.exec(argv)]] as const) {
      const r = run(['btrfs', 'subvolume', 'snapshot', '-r', join(root, 's1x', 'inner'), join(root, 's1x', 'inner@2026-12-04T10:00Z')]);
      assert.equal('status' in r ? r.status : r.exitCode, 0);
      const listed = await listSnapshots(async (argv) => {
        const x = run(argv);
        return 'status' in x ? { exitCode: x.status ?? 1, stdout: x.stdout, stderr: x.stderr } : x;
      }, join(root, 's1x', 'inner'));
      assert.deepEqual(listed.map((l) => l.name), ['inner@2026-12-04T10:00Z'], root);
    }
    // a snapshot holds its own subvolume's files; a nested subvolume is an empty directory in it
    for (const root of [real, emu]) {
      assert.ok(existsSync(join(root, 's1@b', 'inner')), root);
      assert.deepEqual(readdirSync(join(root, 's1@b', 'inner')), [], root);
    }
  });
});
