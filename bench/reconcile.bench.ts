/**
 * Benchmark of the engine on the reference server (bench/gen-config.ts: 1,000 devices, 256
 * targets, 10,000 LUN mappings, 500 initiators), against the budgets of DESIGN §9:
 *   1. first apply to an empty emulated machine: kernel writes vs the plan's ops and the objects;
 *   2. observe: SimHost, and a materialized tree read through LocalHost (native helper or its
 *      JS fallback);
 *   3. plan (pure) of the no-op case; 4. no-op reconcile (observe + plan); 5. peak RSS.
 * The journal lives on tmpfs when there is one (its syncs are measured apart: see the line).
 *
 *   node --import tsx bench/reconcile.bench.ts [--runs N]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scstDriver } from '../drivers/scst/index.js';
import { createSimHost, defaultHardware } from '../drivers/sim/index.js';
import { materialize } from '../drivers/sim/materialize.js';
import { createLocalHost } from '../reconciler/host/local.js';
import { interceptHost } from '../reconciler/host/intercept.js';
import type { Host } from '../reconciler/host/host.js';
import { applyPlan, loadAndPlan } from '../reconciler/pipeline.js';
import { plan as makePlan } from '../reconciler/plan/index.js';
import { observe, observedHash } from '../reconciler/snapshot/index.js';
import { generateLargeConfig } from './gen-config.js';
import { medianOf } from './timing.js';

const at = process.argv.indexOf('--runs');
const RUNS = at > 0 ? Number(process.argv[at + 1]) : 5;
const BUDGET = { observeMs: 500, planMs: 100, noopMs: 1000, rssMiB: 200 };
const drivers = [scstDriver];

async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}
/** Median wall time of RUNS runs after a warm-up; the CPU time of the same runs is printed too. */
async function medianMs(fn: () => Promise<unknown> | unknown): Promise<number> {
  const m = await medianOf(fn, RUNS);
  lastCpu = m.cpuMs;
  return m.wallMs;
}
let lastCpu = 0;
const peakRssMiB = (): number => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
};
const line = (what: string, ms: number, budget?: number): boolean => {
  const ok = budget === undefined || ms <= budget;
  const cpu = `(cpu ${lastCpu.toFixed(0)} ms)`;
  console.log(`${what.padEnd(50)} ${ms.toFixed(1).padStart(8)} ms ${cpu.padEnd(15)}${budget ? ` budget <= ${budget} ms  ${ok ? 'PASS' : 'FAIL'}` : ''}`);
  return ok;
};

/**
 * `--noop-child TREE`: a fresh process doing what `sanform plan` does on the server (load,
 * expand, observe through LocalHost, plan) twice; prints its times and peak RSS as JSON.
 * Each run's outcome is reduced to its change count inside `once`: a value held by the loop's
 * own frame stays alive through the next run's awaits (V8 keeps it), which measured two
 * reconciles' data at once (about 10 MiB more VmHWM).
 */
async function noopChild(tree: string): Promise<void> {
  const { text } = generateLargeConfig();
  const local = createLocalHost({ sysfsRoot: tree, stateDir: join(tree, '..', 'state') });
  const once = async (): Promise<{ ms: number; changes: number }> => {
    const t = await timed(() => loadAndPlan({ texts: [{ file: 'large.yaml', text }], host: local, drivers, node: 'esos-sim' }));
    return { ms: t.ms, changes: t.value.ok ? t.value.plan.changes.length : -1 };
  };
  const runs: number[] = [];
  let changes = -1;
  for (let i = 0; i < 2; i++) {
    const r = await once();
    runs.push(r.ms);
    changes = r.changes;
  }
  process.stdout.write(JSON.stringify({ runs, changes, rssMiB: peakRssMiB() }));
}

const child = process.argv.indexOf('--noop-child');
if (child > 0) {
  await noopChild(process.argv[child + 1]);
  process.exit(0);
}

const scratch = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'sanform-bench-'));
try {
  const { text, blockDevices } = generateLargeConfig();
  const hw = { ...defaultHardware(), blockDevices: blockDevices.map((path) => ({ path, sizeBytes: 2 ** 40 })) };
  const sim = createSimHost({ hardware: hw });
  const texts = [{ file: 'large.yaml', text }];
  let ok = true;
  console.log(`load average at start: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (2 cores shared; wall times inflate under load, cpu times less so)`);
  const check = (b: boolean): void => {
    ok = ok && b;
  };

  // 1. first apply to an empty machine
  const first = await timed(() => loadAndPlan({ texts, host: sim, drivers }));
  if (!first.value.ok) throw new Error(`config did not load: ${JSON.stringify(first.value.diagnostics.slice(0, 3))}`);
  const p = first.value.plan;
  const ops = p.changes.flatMap((c) => c.ops);
  console.log(`first plan: ${p.changes.length} changes, ${ops.length} ops, ${p.blocked.length} blocked (load+expand+observe+plan ${first.ms.toFixed(0)} ms)`);
  const counting = interceptHost(sim);
  const applied = await timed(() =>
    applyPlan({ host: counting, plan: p, drivers, secrets: first.value.ok ? first.value.secrets : undefined, stateDir: scratch }),
  );
  const writes = counting.count(['mgmt', 'writeAttr']);
  const mgmt = counting.count('mgmt');
  const objects = p.changes.filter((c) => c.ops.length > 0).length;
  console.log(`first apply: ${applied.ms.toFixed(0)} ms, ok=${applied.value.ok}; kernel writes ${writes} (${mgmt} mgmt, ${writes - mgmt} attribute) for ${ops.length} planned ops and ${objects} objects with work`);
  console.log(`  writes == planned ops: ${writes === ops.length ? 'yes' : 'NO'}; writes per object ${(writes / objects).toFixed(2)} (1 = one write per object, extras are attributes not settable at creation)`);
  check(applied.value.ok && writes === ops.length);

  // 2-4. observe, plan, no-op reconcile against SimHost
  const desired = first.value.desired;
  const managedKinds = desired.kinds ?? [];
  const observed = await observe(sim, drivers, { node: desired.node });
  console.log(`observed: ${observed.resources.size} resources`);
  const noop = makePlan({ desired, observed, drivers, managedKinds });
  console.log(`no-op plan: ${noop.changes.length} changes, ${noop.blocked.length} blocked`);
  check(noop.changes.length === 0 && noop.blocked.length === 0);
  check(line('observe (SimHost, in-process emulator)', await medianMs(() => observe(sim, drivers, { node: desired.node })), BUDGET.observeMs));
  check(line('plan, no-op (pure; snapshot hash done by observe)', await medianMs(() => makePlan({ desired, observed, drivers, managedKinds })), BUDGET.planMs));
  line('  snapshot hash (part of observe, memoized)', await medianMs(() => observedHash({ ...observed })));
  check(line('no-op reconcile (observe + plan, SimHost)', await medianMs(async () => {
    const o = await observe(sim, drivers, { node: desired.node });
    return makePlan({ desired, observed: o, drivers, managedKinds });
  }), BUDGET.noopMs));

  // observe from a materialized tree through LocalHost (real files, native helper if built)
  const tree = join(scratch, 'tree');
  const m = await materialize(sim, tree);
  console.log(`materialized tree: ${m.dirs} dirs, ${m.files} files, ${m.links} links`);
  const local: Host = createLocalHost({ sysfsRoot: tree, stateDir: join(scratch, 'state') });
  const localObserved = await observe(local, drivers, { node: desired.node });
  const same = makePlan({ desired, observed: localObserved, drivers, managedKinds });
  console.log(`  LocalHost observe gives ${localObserved.resources.size} resources; plan against it: ${same.changes.length} changes`);
  check(line('observe (LocalHost on the materialized tree)', await medianMs(() => observe(local, drivers, { node: desired.node })), BUDGET.observeMs));
  check(line('no-op reconcile (observe + plan, LocalHost)', await medianMs(async () => {
    const o = await observe(local, drivers, { node: desired.node });
    return makePlan({ desired, observed: o, drivers, managedKinds });
  }), BUDGET.noopMs));

  // a separate process, as on the server: load + expand + observe (LocalHost) + plan
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--noop-child', tree], { encoding: 'utf8' });
  const c = JSON.parse(r.stdout || '{}') as { runs?: number[]; changes?: number; rssMiB?: number };
  console.log(`one process, load+expand+observe+plan (LocalHost): cold ${c.runs?.[0]?.toFixed(0)} ms, warm ${c.runs?.[1]?.toFixed(0)} ms, ${c.changes} changes, peak RSS ${c.rssMiB?.toFixed(0)} MiB (two runs, bench harness)`);
  // the memory budget is checked on the real command an admin runs: `sanform plan` on the server
  const cfg = join(scratch, 'large.yaml');
  writeFileSync(cfg, text);
  const rssOut = join(scratch, 'rss');
  const bin = fileURLToPath(new URL('../bin/sanform.js', import.meta.url));
  const probe = fileURLToPath(new URL('./rss-probe.mjs', import.meta.url));
  const t0 = performance.now();
  const cli = spawnSync(process.execPath, ['--import', probe, bin, 'plan', '-c', cfg, '--host', `local:${tree}`, '--node', desired.node, '--detailed-exitcode'], {
    encoding: 'utf8', env: { ...process.env, SANFORM_RSS_OUT: rssOut },
  });
  const cliMs = performance.now() - t0;
  const rss = existsSync(rssOut) ? Number(readFileSync(rssOut, 'utf8')) : Infinity;
  const rssOk = rss <= BUDGET.rssMiB && cli.status === 0;
  console.log(`sanform plan (the CLI, a process of its own): ${cliMs.toFixed(0)} ms wall, exit ${cli.status} (0 = no changes)`);
  console.log(`${'peak RSS of sanform plan (VmHWM)'.padEnd(50)} ${rss.toFixed(0).padStart(8)} MiB  budget <= ${BUDGET.rssMiB} MiB  ${rssOk ? 'PASS' : 'FAIL'}`);
  console.log(`(peak RSS of this bench process, emulator and materializer included: ${peakRssMiB().toFixed(0)} MiB)`);
  check(rssOk);
  console.log(ok ? 'PASS' : 'FAIL');
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
