/**
 * Runs the benchmarks one after the other, each in its own process so they do not share warm
 * caches or heap: every bench/*.bench.ts, or those whose name contains an argument.
 * Usage: npm run bench [-- name ...]. Exit 1 when any bench exits non-zero (e.g. over budget).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (benches.length === 0) {
  console.error(`no bench matched ${filters.join(' ')}`);
  process.exit(1);
}
let failed = 0;
for (const b of benches) {
  console.log(`== ${b}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, b)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
console.log(`${benches.length - failed}/${benches.length} benches within budget`);
process.exit(failed === 0 ? 0 : 1);
