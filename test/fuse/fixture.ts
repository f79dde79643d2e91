/**
 * Test support for everything that runs over a FUSE mount of the SCST emulator: a fresh sim DIR
 * mounted by a server child, and a reset to a fresh machine without remounting.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHardware, initSimDir, resetSimDir } from '../../drivers/sim/index.js';
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
 * Replaces the machine in `sim` with a fresh one (default hardware); every process using it (the
 * FUSE server too) reloads on its next call. The sim store does the swap (drivers/sim resetSimDir).
 */
export function resetSim(sim: string): void {
  resetSimDir(sim, defaultHardware());
}
