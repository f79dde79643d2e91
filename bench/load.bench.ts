/**
 * Load + validate of a large generated configuration (1,000 devices, 256 targets, 10,000 LUN
 * mappings, 500 initiators): median wall time of several runs after one cold run (which also
 * compiles the schema). Budget: under 1 s. Exit 1 when over budget or when the load fails.
 */
import { loadavg } from 'node:os';
import { loadDesiredTexts } from '../reconciler/load/index.js';
import { generateLargeConfig } from './gen-config.js';
import { cpuMsSince, median } from './timing.js';

const RUNS = 7;
const BUDGET_MS = 1000;

const { text, blockDevices } = generateLargeConfig();
const time = (): { ms: number; cpuMs: number; ok: boolean; errors: number } => {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = loadDesiredTexts([{ file: 'large.yaml', text }]);
  return { ms: performance.now() - t0, cpuMs: cpuMsSince(c0), ok: r.ok, errors: r.diagnostics.filter((d) => d.severity === 'error').length };
};

const cold = time();
const runs = Array.from({ length: RUNS }, time);
const sorted = runs.map((r) => r.ms).sort((a, b) => a - b);
const wall = median(sorted);
const ok = cold.ok && runs.every((r) => r.ok);
console.log(`config: ${(text.length / 1024).toFixed(0)} KiB YAML, ${blockDevices.length} block devices`);
console.log(`load+validate cold (incl. schema compile): ${cold.ms.toFixed(1)} ms`);
console.log(`load+validate median of ${RUNS}: ${wall.toFixed(1)} ms wall (min ${sorted[0].toFixed(1)}, max ${sorted[sorted.length - 1].toFixed(1)}), ${median(runs.map((r) => r.cpuMs)).toFixed(1)} ms CPU; budget < ${BUDGET_MS} ms wall`);
console.log(`machine load average: ${loadavg()[0].toFixed(2)} (2 cores are shared; wall times rise with it)`);
console.log(`rss: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
if (!ok) console.log(`FAIL: the generated config did not load (${cold.errors} errors)`);
else console.log(wall < BUDGET_MS ? 'PASS' : 'FAIL: over budget');
process.exitCode = ok && wall < BUDGET_MS ? 0 : 1;
