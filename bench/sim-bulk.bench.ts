/**
 * Bulk load of a persistent emulated machine (`--host sim:DIR`): 15,000 mgmt writes (5,000
 * nullio devices, 5,000 LUNs on one iSCSI target, 5,000 attribute writes) through SimHost, then
 * a second SimHost catching up from the log and one readTree of the whole tree.
 * Budget: the writes under 15 s wall, the catch-up under 5 s. Exit 1 when over budget.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHardware, initSimDir, openSimHost } from '../drivers/sim/index.js';

const R = '/sys/kernel/scst_tgt';
const N = 5000;
const WRITE_BUDGET_MS = 15_000;
const CATCHUP_BUDGET_MS = 5_000;

const dir = mkdtempSync(join(tmpdir(), 'sanform-bench-sim-'));
try {
  await initSimDir(dir, defaultHardware());
  const host = await openSimHost(dir);
  const t0 = performance.now();
  await host.sysfs.mgmt(`${R}/targets/iscsi/mgmt`, 'add_target iqn.2026-01.bench:t');
  for (let i = 0; i < N; i++) await host.sysfs.mgmt(`${R}/handlers/vdisk_nullio/mgmt`, `add_device d${i}`);
  for (let i = 0; i < N; i++) await host.sysfs.mgmt(`${R}/targets/iscsi/iqn.2026-01.bench:t/luns/mgmt`, `add d${i} ${i}`);
  for (let i = 0; i < N; i++) await host.sysfs.writeAttr(`${R}/devices/d${i}/prod_id`, `p${i}`);
  const writes = performance.now() - t0;
  const t1 = performance.now();
  const other = await openSimHost(dir);
  const devices = (await other.sysfs.list(`${R}/devices`)).length;
  const catchup = performance.now() - t1;
  const t2 = performance.now();
  const entries = (await other.sysfs.readTree(R)).length;
  const tree = performance.now() - t2;
  console.log(`${3 * N + 1} writes: ${writes.toFixed(0)} ms (${((writes * 1000) / (3 * N)).toFixed(0)} µs each); budget < ${WRITE_BUDGET_MS} ms`);
  console.log(`second process catch-up (${devices} devices): ${catchup.toFixed(0)} ms; budget < ${CATCHUP_BUDGET_MS} ms`);
  console.log(`readTree: ${entries} entries in ${tree.toFixed(0)} ms`);
  console.log(`machine load average: ${loadavg()[0].toFixed(2)}`);
  const ok = writes < WRITE_BUDGET_MS && catchup < CATCHUP_BUDGET_MS && devices === N + 2;
  console.log(ok ? 'PASS' : 'FAIL: over budget or wrong device count');
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
