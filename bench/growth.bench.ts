/**
 * Benchmark: growth (DESIGN §9: "observe and plan grow linearly with objects"). The reference
 * server (bench/gen-config.ts) is scaled from 1/4 to 2x (every count times the factor), applied
 * to an emulated machine, materialized as a sysfs-like tree, and then measured at each size:
 * load + validate of the file, observe through LocalHost on the tree (the path a real server
 * takes), and the pure no-op plan. Printed: median ms, µs per resource, and the growth exponent
 * between the smallest and the largest size (log of the time ratio over log of the size ratio:
 * 1 is linear, 2 quadratic). Exit 1 when an exponent is above 1.2.
 *
 *   node --import tsx bench/growth.bench.ts [--runs N]
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scstDriver } from '../drivers/scst/index.js';
import { createSimHost, defaultHardware } from '../drivers/sim/index.js';
import { materialize } from '../drivers/sim/materialize.js';
import { createLocalHost } from '../reconciler/host/local.js';
import { loadDesiredTexts } from '../reconciler/load/index.js';
import { applyPlan, loadAndPlan } from '../reconciler/pipeline.js';
import { plan as makePlan } from '../reconciler/plan/index.js';
import { observe } from '../reconciler/snapshot/index.js';
import { generateLargeConfig } from './gen-config.js';
import { medianOf } from './timing.js';

const at = process.argv.indexOf('--runs');
const RUNS = at > 0 ? Number(process.argv[at + 1]) : 5;
const FACTORS = [0.25, 0.5, 1, 2];
const MAX_EXPONENT = 1.2;
const drivers = [scstDriver];

const medianMs = async (fn: () => unknown): Promise<number> => (await medianOf(fn, RUNS)).wallMs;

interface Row {
  factor: number;
  resources: number;
  loadMs: number;
  observeMs: number;
  planMs: number;
}

async function measure(factor: number, scratch: string): Promise<Row> {
  const n = (x: number) => Math.max(1, Math.round(x * factor));
  const { text, blockDevices } = generateLargeConfig({ devices: n(1000), targets: n(256), lunMappings: n(10_000), initiators: n(500) });
  const texts = [{ file: 'large.yaml', text }];
  const sim = createSimHost({ hardware: { ...defaultHardware(), blockDevices: blockDevices.map((path) => ({ path, sizeBytes: 2 ** 40 })) } });
  const first = await loadAndPlan({ texts, host: sim, drivers });
  if (!first.ok) throw new Error(`x${factor}: config did not load`);
  const applied = await applyPlan({ host: sim, plan: first.plan, drivers, secrets: first.secrets, stateDir: join(scratch, `state-${factor}`) });
  if (!applied.ok) throw new Error(`x${factor}: first apply failed`);
  const tree = join(scratch, `tree-${factor}`);
  await materialize(sim, tree);
  const local = createLocalHost({ sysfsRoot: tree, stateDir: join(scratch, `state-${factor}`) });
  const desired = first.desired;
  const observed = await observe(local, drivers, { node: desired.node });
  const managedKinds = desired.kinds ?? [];
  const noop = makePlan({ desired, observed, drivers, managedKinds });
  if (noop.changes.length > 0) throw new Error(`x${factor}: the plan after apply is not empty (${noop.changes.length} changes)`);
  return {
    factor,
    resources: observed.resources.size,
    loadMs: await medianMs(() => loadDesiredTexts(texts)),
    observeMs: await medianMs(() => observe(local, drivers, { node: desired.node })),
    planMs: await medianMs(() => makePlan({ desired, observed, drivers, managedKinds })),
  };
}

const scratch = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'sanform-growth-'));
try {
  const rows: Row[] = [];
  for (const f of FACTORS) rows.push(await measure(f, scratch));
  const us = (ms: number, r: Row) => ((ms * 1000) / r.resources).toFixed(1);
  console.log('size   resources   load ms (µs/res)   observe ms (µs/res)   plan ms (µs/res)');
  for (const r of rows) {
    console.log(
      `x${String(r.factor).padEnd(5)} ${String(r.resources).padStart(9)}   ${r.loadMs.toFixed(0).padStart(7)} (${us(r.loadMs, r)})`.padEnd(40) +
        `${r.observeMs.toFixed(0).padStart(8)} (${us(r.observeMs, r)})`.padEnd(22) +
        `${r.planMs.toFixed(0).padStart(8)} (${us(r.planMs, r)})`,
    );
  }
  const lo = rows[0]!;
  const hi = rows[rows.length - 1]!;
  const exponent = (key: 'loadMs' | 'observeMs' | 'planMs') => Math.log(hi[key] / lo[key]) / Math.log(hi.resources / lo.resources);
  let ok = true;
  for (const key of ['loadMs', 'observeMs', 'planMs'] as const) {
    const e = exponent(key);
    const pass = e <= MAX_EXPONENT;
    ok &&= pass;
    console.log(`growth exponent of ${key.replace('Ms', '')} from ${lo.resources} to ${hi.resources} resources: ${e.toFixed(2)} (1 = linear; budget <= ${MAX_EXPONENT}) ${pass ? 'PASS' : 'FAIL'}`);
  }
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
