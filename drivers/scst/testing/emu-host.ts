/**
 * Test support: a Host over an in-process SCST emulator (until SimHost serves every test), and a
 * plan/apply loop that runs the engine's pure planner and this driver's ops against it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Host } from '../../../reconciler/host/host.js';
import { SCST_ROOT } from '../../../reconciler/host/host.js';
import { ScstEmulator } from '../emulator/emulator.js';

const rel = (p: string): string => {
  if (p !== SCST_ROOT && !p.startsWith(`${SCST_ROOT}/`)) throw new Error(`outside ${SCST_ROOT}: ${p}`);
  return p.slice(SCST_ROOT.length + 1);
};

// State directories made here; removed when the test process exits.
const stateDirs: string[] = [];
process.once('exit', () => {
  for (const d of stateDirs) rmSync(d, { recursive: true, force: true });
});

/**
 * A Host whose sysfs is the emulator; exec and files are not used by the SCST driver. Each host
 * gets its own state directory (lock, journal) under the system temp dir, removed at exit.
 */
export function emuHost(emu: ScstEmulator = new ScstEmulator()): Host & { emu: ScstEmulator } {
  const write = async (path: string, data: string): Promise<void> => emu.write(rel(path), data);
  const stateDir = mkdtempSync(join(tmpdir(), 'sanform-emu-'));
  stateDirs.push(stateDir);
  return {
    id: 'emu',
    emu,
    stateDir,
    hostname: async () => 'esos-sim',
    sysfs: {
      read: async (p) => emu.read(rel(p)),
      list: async (p) => emu.readdir(rel(p)),
      readlink: async (p) => emu.readlink(rel(p)),
      exists: async (p) => {
        try {
          emu.stat(rel(p));
          return true;
        } catch {
          return false;
        }
      },
      readTree: async (p, o) => emu.walk(rel(p), o),
      mgmt: write,
      writeAttr: write,
    },
    exec: async () => ({ exitCode: 127, stdout: '', stderr: 'exec is not emulated here' }),
    files: { read: async () => undefined, writeAtomic: async () => undefined },
  };
}
