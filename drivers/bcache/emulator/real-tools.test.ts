/**
 * The emulated make-bcache / bcache-super-show against the real bcache-tools on loop devices:
 * the same steps on both, and the same exit codes, stdout and stderr (UUIDs and checksums,
 * which are random or a crc64, replaced by placeholders in order of appearance).
 * Needs root, losetup and bcache-tools; skipped with the reason printed otherwise.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BcacheEmulator, MemoryDisks } from './index.js';

const why = (() => {
  if (process.getuid?.() !== 0) return 'needs root (loop devices)';
  for (const tool of ['losetup', 'make-bcache', 'bcache-super-show', 'mkfs.ext4', 'wipefs']) {
    if (spawnSync('which', [tool]).status !== 0) return `${tool} is not installed (apt-get install bcache-tools e2fsprogs util-linux)`;
  }
  const probe = spawnSync('losetup', ['-f']);
  if (probe.status !== 0) return `no free loop device (${String(probe.stderr).trim()})`;
  return undefined;
})();
if (why) console.log(`# skipped: real bcache-tools tests: ${why}`);

const MiB = 1024 * 1024;
/** Device roles and sizes: a backing disk, a big enough cache, a too small cache, one with ext4. */
const DEVICES = { back: 64 * MiB, back2: 64 * MiB, cache: 128 * MiB, small: 32 * MiB, fs: 64 * MiB } as const;
type Role = keyof typeof DEVICES;

interface Out {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Replaces UUIDs (numbered by first appearance) and superblock checksums. */
function normalize(o: Out, uuids: Map<string, string>): Out {
  const f = (s: string) =>
    s
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (u) => {
        if (u === '00000000-0000-0000-0000-000000000000') return u;
        if (!uuids.has(u)) uuids.set(u, `<uuid${uuids.size + 1}>`);
        return uuids.get(u) as string;
      })
      .replace(/^(sb\.csum\t+)[0-9A-F]{1,16}/m, '$1<csum>');
  return { exitCode: o.exitCode, stdout: f(o.stdout), stderr: f(o.stderr) };
}

/** The steps, in order; `D(role)` is the device path on either side. */
const STEPS: { name: string; argv: (D: (r: Role) => string) => string[]; before?: 'mkfs' }[] = [
  { name: 'no device', argv: () => ['make-bcache', '-B'] },
  { name: 'device before -C/-B', argv: (D) => ['make-bcache', D('back')] },
  { name: 'bucket size not a power of two', argv: (D) => ['make-bcache', '-B', '-b', '3k', D('back')] },
  { name: 'bucket smaller than block', argv: (D) => ['make-bcache', '-B', '-w', '1M', '-b', '4k', D('back')] },
  { name: 'data offset too small', argv: (D) => ['make-bcache', '-B', '-o', '8', D('back')] },
  { name: 'bad set uuid', argv: (D) => ['make-bcache', '-B', '--cset-uuid', 'xyz', D('back')] },
  { name: 'missing device', argv: () => ['make-bcache', '-B', '/dev/sanform-no-such-disk'] },
  { name: 'cache too small', argv: (D) => ['make-bcache', '-C', D('small')] },
  { name: 'show: no superblock', argv: (D) => ['bcache-super-show', D('back')] },
  { name: 'show: no such device', argv: () => ['bcache-super-show', '/dev/sanform-no-such-disk'] },
  { name: 'show: usage', argv: () => ['bcache-super-show'] },
  { name: 'format backing', argv: (D) => ['make-bcache', '-B', D('back')] },
  { name: 'show backing', argv: (D) => ['bcache-super-show', D('back')] },
  { name: 'format backing again', argv: (D) => ['make-bcache', '-B', D('back')] },
  { name: 'format again with --wipe-bcache', argv: (D) => ['make-bcache', '-B', '--wipe-bcache', D('back')] },
  { name: 'cache and backing together, writeback, fifo, discard', argv: (D) => ['make-bcache', '-C', D('cache'), '-B', D('back2'), '--writeback', '--discard', '--cache_replacement_policy=fifo'] },
  { name: 'show cache', argv: (D) => ['bcache-super-show', D('cache')] },
  { name: 'show second backing', argv: (D) => ['bcache-super-show', D('back2')] },
  { name: 'backing over ext4', argv: (D) => ['make-bcache', '-B', D('fs')], before: 'mkfs' },
  { name: 'show ext4', argv: (D) => ['bcache-super-show', D('fs')] },
];

describe('bcache-tools: the emulator agrees with the real tools', { skip: why }, () => {
  let dir: string;
  const loops: Partial<Record<Role, string>> = {};
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sanform-bcache-'));
    for (const [role, size] of Object.entries(DEVICES)) {
      const img = join(dir, `${role}.img`);
      execFileSync('truncate', ['-s', String(size), img]);
      loops[role as Role] = execFileSync('losetup', ['-f', '--show', img], { encoding: 'utf8' }).trim();
    }
  });
  after(() => {
    for (const l of Object.values(loops)) spawnSync('losetup', ['-d', l]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same exit codes, stdout and stderr, step by step', () => {
    const D = (r: Role) => loops[r] as string;
    const emu = new BcacheEmulator(MemoryDisks.of(Object.entries(DEVICES).map(([r, size]) => ({ path: D(r as Role), sizeBytes: size }))));
    const realIds = new Map<string, string>();
    const emuIds = new Map<string, string>();
    for (const step of STEPS) {
      if (step.before === 'mkfs') {
        execFileSync('mkfs.ext4', ['-q', '-F', D('fs')], { stdio: 'ignore' });
        emu.disks.setSignature(D('fs'), { type: 'ext4', offset: 0x438 });
      }
      const argv = step.argv(D);
      const r = spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8' });
      const real = normalize({ exitCode: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }, realIds);
      const mine = normalize(emu.exec(argv), emuIds);
      assert.deepEqual(mine, real, `step "${step.name}": ${argv.join(' ')}`);
    }
    // the steps reached both kinds of superblock and both kinds of failure
    assert.ok(realIds.size >= 4, 'UUIDs were printed');
    // what the real superblock looks like to blkid and wipefs is what the emulated disk carries
    const sigOnEmu = emu.disks.signature(D('back'));
    const r = spawnSync('blkid', ['-p', '-o', 'export', loops.back as string], { encoding: 'utf8' });
    assert.match(r.stdout, /^TYPE=bcache$/m);
    const w = spawnSync('wipefs', ['-n', '-J', loops.back as string], { encoding: 'utf8' });
    const sig = (JSON.parse(w.stdout) as { signatures: { offset: string; type: string }[] }).signatures[0];
    assert.equal(sig?.type, sigOnEmu?.type);
    assert.equal(Number(sig?.offset), sigOnEmu?.offset);
  });
});
