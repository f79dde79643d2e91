/**
 * Benchmark: observe of the storage layers of a server with 24 disks, 4 md arrays, one VG with
 * 500 LVs, 2 bcache devices (sharing one cache set) and 1 btier device, on the emulated machine
 * (`sanform sim`): the machine is built by applying a generated file, then every storage driver
 * the CLI loads observes it. Prints the median time and the tool calls (Host.exec) of one
 * observe, at 500 LVs and at 125 LVs: the number of calls must not depend on the object count.
 * Budget (DESIGN §9): at most 300 ms, and the same number of exec calls at both sizes.
 *
 *   node --import tsx bench/storage-observe.bench.ts [--lvs N]
 */
import { stringify } from 'yaml';
import type { Driver } from '../reconciler/core/driver.js';
import type { Host } from '../reconciler/host/host.js';
import { applyPlan, loadAndPlan } from '../reconciler/pipeline.js';
import { observe } from '../reconciler/snapshot/index.js';
import { createSimHost } from '../drivers/sim/index.js';
import type { HardwareProfile } from '../drivers/sim/index.js';
import { drivers as cliDrivers } from '../cli/drivers.js';
import { medianOf } from './timing.js';

const BUDGET_MS = 300;
const LAYERS = ['md', 'lvm', 'bcache', 'btier'];
const GiB = 1024 ** 3;
const i = process.argv.indexOf('--lvs');
const LVS = i > 0 ? Number(process.argv[i + 1]) : 500;

const letters = (n: number) => Array.from({ length: n }, (_, k) => (k < 25 ? `sd${String.fromCharCode(98 + k)}` : `sda${String.fromCharCode(97 + k - 25)}`));

function hardware(): HardwareProfile {
  return {
    hostname: 'bench',
    blockDevices: [
      ...letters(24).map((d) => ({ path: `/dev/${d}`, sizeBytes: 2048 * GiB })),
      ...[1, 2, 3].map((p) => ({ path: `/dev/nvme0n1p${p}`, sizeBytes: 400 * GiB })),
    ],
    fcPorts: [], srpPorts: [], fcoePorts: [], scsiDevices: [],
  };
}

/** 4 arrays of 6 disks; vg0 on md0+md1 with `lvs` LVs; bcache over md2 and md3; a tier over NVMe and LV 0. */
function config(lvs: number): string {
  const disks = letters(24).map((d) => `/dev/${d}`);
  const md = Object.fromEntries([0, 1, 2, 3].map((a) => [`md${a}`, { level: 'raid6', devices: disks.slice(a * 6, a * 6 + 6) }]));
  const lvMap = Object.fromEntries(Array.from({ length: lvs }, (_, k) => [`lv${String(k).padStart(3, '0')}`, { size: '4G' }]));
  return stringify({
    version: 1,
    storage: {
      md,
      lvm: { vg0: { pvs: ['/dev/md0', '/dev/md1'], lvs: lvMap } },
      bcache: {
        bcache0: { backing: '/dev/md2', cache: '/dev/nvme0n1p1', mode: 'writeback' },
        bcache1: { backing: '/dev/md3', cache: '/dev/nvme0n1p1', mode: 'writeback' },
      },
      btier: { sdtiera: { devices: ['/dev/nvme0n1p2', '/dev/vg0/lv000'] } },
    },
  });
}

/** A Host that counts exec calls. */
function counting(host: Host): { host: Host; calls: () => number; reset: () => void } {
  let n = 0;
  const h = Object.create(host) as Host;
  h.exec = (argv, opts) => {
    n++;
    return host.exec(argv, opts);
  };
  return { host: h, calls: () => n, reset: () => (n = 0) };
}

async function measure(lvs: number, drivers: readonly Driver[]): Promise<{ wallMs: number; cpuMs: number; execs: number; resources: number }> {
  const sim = createSimHost({ hardware: hardware() });
  try {
    const out = await loadAndPlan({ texts: [{ file: 'bench.yaml', text: config(lvs) }], host: sim, drivers, node: 'bench', allow: [] });
    if (!out.ok) throw new Error(out.diagnostics.map((d) => d.message).join('; '));
    if (out.plan.blocked.length) throw new Error(`blocked: ${out.plan.blocked.map((b) => `${b.address}: ${b.unavailable ?? b.because.map((x) => x.detail).join(', ')}`).slice(0, 5).join('; ')}`);
    const res = await applyPlan({ host: sim, plan: out.plan, drivers, secrets: out.secrets });
    if (!res.ok) throw new Error(`apply failed: ${JSON.stringify(res.results.filter((r) => r.status !== 'applied')).slice(0, 400)}`);
    const c = counting(sim);
    const storage = drivers.filter((d) => LAYERS.includes(d.name));
    let resources = 0;
    const t = await medianOf(async () => {
      c.reset();
      resources = (await observe(c.host, storage, { node: 'bench' })).resources.size;
    }, 7);
    return { ...t, execs: c.calls(), resources };
  } finally {
    await sim.close();
  }
}

const missing = LAYERS.filter((l) => !cliDrivers.some((d) => d.name === l));
if (missing.length) {
  console.log(`NOT MEASURED: the CLI loads no driver for ${missing.join(', ')} (cli/drivers.ts)`);
  process.exit(1);
}
const big = await measure(LVS, cliDrivers);
const small = await measure(Math.max(1, Math.round(LVS / 4)), cliDrivers);
console.log(`storage observe, 24 disks, 4 arrays, ${LVS} LVs, 2 bcache, 1 btier: ${big.wallMs.toFixed(1)} ms wall, ${big.cpuMs.toFixed(1)} ms CPU, ${big.execs} exec calls, ${big.resources} resources (budget ${BUDGET_MS} ms)`);
console.log(`same with ${Math.round(LVS / 4)} LVs: ${small.wallMs.toFixed(1)} ms wall, ${small.execs} exec calls, ${small.resources} resources`);
const over = big.wallMs > BUDGET_MS;
const varies = big.execs !== small.execs;
if (over) console.log(`OVER BUDGET: ${big.wallMs.toFixed(1)} ms > ${BUDGET_MS} ms`);
if (varies) console.log(`OVER BUDGET: exec calls depend on the object count (${small.execs} -> ${big.execs})`);
process.exit(over || varies ? 1 : 0);
