/**
 * Benchmark: replicate a 1 GiB store after a 1% change (incremental btrfs send | receive between
 * two loop-device file systems), next to a plain full copy of the same file (`cp`) in the same
 * run. The figures are the ratios of bytes and of time. Budget: the incremental stream is at most
 * 3% of the full copy's bytes. Needs root, losetup and btrfs-progs.
 *
 *   node --import tsx bench/snapshot.bench.ts [--mib N]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLocalHost } from '../reconciler/host/local.js';
import { takeSnapshot } from '../drivers/snapshot/btrfs.js';
import { replicate, transportFor } from '../drivers/snapshot/replicate.js';
import { snapshotName } from '../drivers/snapshot/schedule.js';

const i = process.argv.indexOf('--mib');
const MIB = i > 0 ? Number(process.argv[i + 1]) : 1024;
if (process.getuid?.() !== 0) {
  console.log('skipped: needs root (loop devices, mount)');
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'sanform-bench-snap-'));
const loops: string[] = [];
const mounts: string[] = [];
const fs = (name: string): string => {
  const img = join(dir, `${name}.img`);
  execFileSync('truncate', ['-s', `${Math.max(400, Math.ceil(MIB * 2.6))}M`, img]);
  const loop = execFileSync('losetup', ['-f', '--show', img], { encoding: 'utf8' }).trim();
  loops.push(loop);
  execFileSync('mkfs.btrfs', ['-q', loop], { stdio: 'ignore' });
  const mnt = join(dir, name);
  execFileSync('mkdir', ['-p', mnt]);
  execFileSync('mount', [loop, mnt]);
  mounts.push(mnt);
  return mnt;
};
try {
  const host = createLocalHost({ stateDir: dir });
  const run = (argv: string[]) => host.exec(argv);
  const A = fs('a');
  const B = fs('b');
  execFileSync('mkdir', ['-p', join(B, 'replica'), join(B, 'copy')]);
  const store = join(A, 'store');
  execFileSync('btrfs', ['subvolume', 'create', store], { stdio: 'ignore' });
  const file = join(store, 'disk.img');
  const fd = openSync(file, 'w');
  for (let m = 0; m < MIB; m += 16) writeSync(fd, randomBytes(16 * 1024 * 1024));
  closeSync(fd);
  execFileSync('sync');
  await takeSnapshot(run, { subvolume: store, name: snapshotName('store', new Date(Date.UTC(2026, 11, 4, 10))) });
  const full = await replicate(host, { subvolume: store, to: transportFor('local'), path: join(B, 'replica') });
  // 1%: scattered 64 KiB writes
  const w = openSync(file, 'r+');
  const chunk = 64 * 1024;
  const writes = Math.round((MIB * 1024 * 1024 * 0.01) / chunk);
  for (let k = 0; k < writes; k++) writeSync(w, randomBytes(chunk), 0, chunk, Math.floor(((k + 0.5) / writes) * (MIB * 1024 * 1024 - chunk)));
  closeSync(w);
  execFileSync('sync');
  await takeSnapshot(run, { subvolume: store, name: snapshotName('store', new Date(Date.UTC(2026, 11, 4, 11))) });
  let t = performance.now();
  const inc = await replicate(host, { subvolume: store, to: transportFor('local'), path: join(B, 'replica') });
  const incMs = performance.now() - t;
  t = performance.now();
  execFileSync('cp', [join(A, 'store@2026-12-04T11:00Z', 'disk.img'), join(B, 'copy', 'disk.img')]);
  execFileSync('sync');
  const cpMs = performance.now() - t;
  const cpBytes = statSync(file).size;
  const incBytes = inc.sent[0]?.bytes ?? NaN;
  const ratio = incBytes / cpBytes;
  console.log(`store ${MIB} MiB, full send ${full.sent[0]?.bytes} bytes`);
  console.log(`after a 1% change: incremental send ${incBytes} bytes in ${incMs.toFixed(0)} ms; cp of the file ${cpBytes} bytes in ${cpMs.toFixed(0)} ms`);
  console.log(`ratio bytes ${(100 * ratio).toFixed(2)}% (budget <= 3%), time ${(incMs / cpMs).toFixed(2)}x of cp`);
  process.exitCode = ratio <= 0.03 ? 0 : 1;
} finally {
  for (const m of mounts.reverse()) spawnSync('umount', [m]);
  for (const l of loops) spawnSync('losetup', ['-d', l]);
  rmSync(dir, { recursive: true, force: true });
}
