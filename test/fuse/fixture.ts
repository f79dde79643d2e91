/**
 * Test support for everything that runs over a FUSE mount of the SCST emulator: a fresh sim DIR
 * mounted by a server child, and a reset to a fresh machine without remounting.
 */
import { mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHardware, initSimDir } from '../../drivers/sim/index.js';
import { withLock } from '../../drivers/sim/lock.js';
import { ScstEmulator } from '../../drivers/scst/emulator/emulator.js';
import { fuseUnavailable, mountFs, type MountedFs } from '../../drivers/sim/fuse/mount.js';

export interface SimMount {
  /** temp dir holding sim/, mnt/ and anything the test adds. */
  dir: string;
  sim: string;
  mnt: string;
  mount: MountedFs;
  cleanup(): Promise<void>;
}

/** Why FUSE tests must be skipped here (printed as the skip reason), or false. */
export const fuseSkip = (): string | false => {
  const why = fuseUnavailable();
  if (why) return why;
  if (process.getuid?.() !== 0) return 'mounting needs root (not running as root)';
  return false;
};

/** A fresh emulated machine mounted at a temp dir; cleanup unmounts and removes everything. */
export async function mountFreshSim(): Promise<SimMount> {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-fuse-'));
  const sim = join(dir, 'sim');
  const mnt = join(dir, 'mnt');
  await initSimDir(sim, defaultHardware());
  let mount: MountedFs;
  try {
    mount = await mountFs({ source: { sim }, mountpoint: mnt, logFile: join(dir, 'server.log') });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    dir, sim, mnt, mount,
    cleanup: async () => {
      await mount.unmount();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Replaces the machine in `sim` with a fresh one (default hardware) the way the machine's own
 * compaction swaps snapshots, so every process using it (the FUSE server too) reloads on its next
 * call. Relies on drivers/sim/machine.ts's layout: snapshot.json {gen}, log-<gen>.jsonl, lock.
 */
export function resetSim(sim: string): void {
  const dir = join(sim, 'machine');
  withLock(join(dir, 'lock'), () => {
    const { gen } = JSON.parse(readFileSync(join(dir, 'snapshot.json'), 'utf8')) as { gen: number };
    const next = gen + 1;
    writeFileSync(join(dir, `log-${next}.jsonl`), '');
    const tmp = join(dir, `snapshot.json.tmp${process.pid}`);
    writeFileSync(tmp, JSON.stringify({ gen: next, state: new ScstEmulator({ hardware: defaultHardware() }).toJSON() }));
    renameSync(tmp, join(dir, 'snapshot.json'));
    unlinkSync(join(dir, `log-${gen}.jsonl`));
  });
}
