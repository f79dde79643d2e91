/**
 * The SCST conformance suite through real syscalls: LocalHost (native helper, then the JavaScript
 * fallback) over a FUSE mount of the emulator. One mount serves every case; each case starts from
 * a fresh machine (resetSim) and drives it with the SimControl of the same sim DIR.
 */
import { after, describe } from 'node:test';
import { defineConformance } from './harness.js';
import { createLocalHost } from '../../reconciler/host/local.js';
import { nativeHelper } from '../../native/index.js';
import { loadAddon } from '../../native/addon.js';
import { openSimHost } from '../../drivers/sim/index.js';
import { fuseSkip, mountFreshSim, resetSim, type SimMount } from '../fuse/fixture.js';

const skip = fuseSkip();
let mounted: Promise<SimMount> | undefined;
after(async () => {
  if (mounted) await (await mounted).cleanup();
});

for (const helper of ['native', 'fallback'] as const) {
  const why = skip || (helper === 'native' && !nativeHelper() ? `native addon unavailable: ${loadAddon().reason}` : false);
  if (why) {
    describe(`SCST conformance: LocalHost (${helper} helper) over FUSE`, { skip: why }, () => {});
    continue;
  }
  defineConformance({
    name: `LocalHost (${helper} helper) over FUSE`,
    async setup() {
      const f = await (mounted ??= mountFreshSim());
      resetSim(f.sim);
      const sim = await openSimHost(f.sim);
      const host = createLocalHost({ sysfsRoot: f.mnt, helper, mgmt: { pollMs: 1, timeoutMs: 10_000 } });
      return { host, control: sim.control, cleanup: async () => {} };
    },
  });
}
