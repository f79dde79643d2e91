/**
 * Benchmark: `sanform fleet status` over a central repository of 200 nodes with a year of daily
 * records each (73,000 record commits, generated with `git fast-import`), next to the same fleet
 * with one record per node, in the same run. Status reads only the ref tips, so the ratio of the
 * two is the figure: budget <= 1.5x (history must not cost). Also printed: the whole
 * `fleet status` process next to bare `node -e 0`, and one appliance's pull + no-op cycle
 * (`watch --once --upstream`, in process) next to the same cycle without an upstream.
 *
 *   node --import tsx bench/fleet.bench.ts [--nodes N] [--days D]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseFleet } from '../reconciler/fleet/fleet-file.js';
import { fleetStatus } from '../reconciler/fleet/status.js';
import { DESIRED_REF, openStore, resolveRev } from '../reconciler/state/store.js';
import { median, medianOf } from './timing.js';
import { defaultHardware, initSimDir } from '../drivers/sim/index.js';
import { pullUpstream } from '../reconciler/fleet/pull.js';
import { runCli } from '../test/engine/cli-run.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const NODES = arg('nodes', 200);
const DAYS = arg('days', 365);
const SANFORM = fileURLToPath(new URL('../bin/sanform.js', import.meta.url));

const fleetYaml = (n: number): string =>
  `version: 1\ngroups: { g0: {}, g1: {}, g2: {}, g3: {} }\nnodes:\n${Array.from({ length: n }, (_, i) => `  node${String(i).padStart(3, '0')}: { group: g${i % 4} }`).join('\n')}\nwaves:\n  - { name: canary, nodes: [node000, node001] }\n  - { name: rest, groups: [g0, g1, g2, g3] }\n`;

/** A fast-import stream: main with fleet.yaml, then `days` record commits per node on its ref (each commit to a ref has the previous one as parent). */
function stream(nodes: number, days: number): string {
  const out: string[] = [];
  const data = (s: string) => `data ${Buffer.byteLength(s)}\n${s}`;
  const t0 = Date.UTC(2026, 0, 1) / 1000;
  out.push('commit refs/heads/main', `committer Admin <admin@example.com> ${t0} +0000`, data('fleet'), `M 644 inline fleet.yaml`, data(fleetYaml(nodes)));
  for (let n = 0; n < nodes; n++) {
    const node = `node${String(n).padStart(3, '0')}`;
    for (let d = 0; d < days; d++) {
      const at = new Date((t0 + d * 86400) * 1000).toISOString();
      const ok = (n + d) % 97 !== 0;
      const meta = { formatVersion: 1, kind: 'apply', node, host: 'local', desiredRevision: 'main', startedAt: at, finishedAt: at, ok, counts: { applied: 1, failed: ok ? 0 : 1, skipped: 0, blocked: 0 }, snapshotHash: '0', kinds: [] };
      const outcome = `[\n{"address":"scst/device/d${d}","action":"create","status":"${ok ? 'applied' : 'failed'}"${ok ? '' : ',"error":{"code":"ENOENT","message":"x"}'}}\n]\n`;
      out.push(`commit refs/sanform/${node}/applied`, `committer sanform <sanform@${node}> ${t0 + d * 86400} +0000`, data(`apply on ${node}`));
      out.push('M 644 inline record.json', data(`${JSON.stringify(meta, null, 2)}\n`), 'M 644 inline outcome.json', data(outcome));
    }
  }
  return `${out.join('\n')}\n`;
}

function makeRepo(dir: string, days: number): string {
  const repo = join(dir, `central-${days}.git`);
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', repo]);
  const t = performance.now();
  execFileSync('git', ['--git-dir', repo, 'fast-import', '--quiet'], { input: stream(NODES, days), maxBuffer: 1 << 30 });
  console.log(`generated ${NODES} nodes x ${days} records in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return repo;
}

async function statusMs(repo: string): Promise<number> {
  const store = await openStore(repo);
  const main = await resolveRev(store, DESIRED_REF);
  const { fleet } = parseFleet('fleet.yaml', fleetYaml(NODES));
  const r = await medianOf(async () => {
    const rows = await fleetStatus({ store: { ...store, cache: {} }, fleet: fleet!, main, now: new Date() });
    if (rows.length !== NODES) throw new Error(`expected ${NODES} rows, got ${rows.length}`);
  }, 5);
  return r.wallMs;
}

function processMs(argv: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, argv, { encoding: 'utf8' });
    if (r.status !== 0 && r.status !== 2) throw new Error(`${argv.join(' ')}: exit ${r.status}: ${r.stderr}`);
    times.push(performance.now() - t);
  }
  return median(times);
}

/**
 * One appliance of a one-node fleet, applied once: the median cycle of `watch --once` with the
 * upstream (fetch, nothing new, no-op drift check, push of nothing) and of the pull alone.
 */
async function pullCycle(dir: string): Promise<{ cycleMs: number; pullMs: number }> {
  const git = (cwd: string, ...a: string[]) => execFileSync('git', a, { cwd, env: { ...process.env, GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@example.com', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@example.com' } });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'admin', '-f', join(dir, 'key')]);
  const signer = `admin@example.com ${readFileSync(join(dir, 'key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ')}`;
  writeFileSync(join(dir, 'signers'), `${signer}\n`);
  const central = join(dir, 'one.git');
  const work = join(dir, 'one');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', central]);
  execFileSync('git', ['clone', '-q', central, work], { stdio: 'pipe' });
  mkdirSync(join(work, 'nodes', 'a1'), { recursive: true });
  writeFileSync(join(work, 'fleet.yaml'), `version: 1\nnodes: { a1: {} }\nsigning: { allowedSigners: ["${signer}"] }\n`);
  writeFileSync(join(work, 'nodes', 'a1', 'scst.yaml'), 'version: 1\nscst:\n  devices:\n    lun0: { handler: vdisk_nullio, dummy: true }\n');
  git(work, 'add', '-A');
  git(work, '-c', 'gpg.format=ssh', '-c', `user.signingkey=${join(dir, 'key')}`, 'commit', '-q', '-S', '-m', 'one');
  git(work, 'push', '-q', 'origin', 'main');
  await initSimDir(join(dir, 'sim'), { ...defaultHardware(), hostname: 'a1' });
  const repo = join(dir, 'a1.git');
  const cli = async (args: string[]) => {
    const r = await runCli(dir, args, { ...process.env, NO_COLOR: '1' });
    if (r.code !== 0) throw new Error(`sanform ${args.join(' ')}: exit ${r.code}: ${r.out}${r.err}`);
  };
  await cli(['init', '--repo', repo, '--host', `sim:${join(dir, 'sim')}`, '--node', 'a1', '--upstream', central, '--allowed-signers', join(dir, 'signers')]);
  await cli(['watch', '--once', '--repo', repo, '--log-level', 'error']);
  const cycle = await medianOf(() => cli(['watch', '--once', '--repo', repo, '--log-level', 'error']), 5);
  const pull = await medianOf(async () => {
    if ((await pullUpstream({ repo, url: central, node: 'a1' })).status !== 'current') throw new Error('expected nothing new upstream');
  }, 5);
  return { cycleMs: cycle.wallMs, pullMs: pull.wallMs };
}

const dir = mkdtempSync(join(tmpdir(), 'sanform-bench-fleet-'));
try {
  const year = makeRepo(dir, DAYS);
  const day = makeRepo(dir, 1);
  const yearMs = await statusMs(year);
  const dayMs = await statusMs(day);
  const ratio = yearMs / dayMs;
  console.log(`fleet status, in process, ${NODES} nodes: ${yearMs.toFixed(0)} ms with ${DAYS} records each, ${dayMs.toFixed(0)} ms with 1: ratio ${ratio.toFixed(2)} (budget <= 1.5)`);
  const whole = processMs([SANFORM, 'fleet', 'status', '--repo', year]);
  const bare = processMs(['-e', '0']);
  console.log(`fleet status, whole process: ${whole.toFixed(0)} ms; node -e 0: ${bare.toFixed(0)} ms: ratio ${(whole / bare).toFixed(1)} (load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`);
  const one = await pullCycle(dir);
  console.log(`one appliance, nothing new upstream: watch --once cycle ${one.cycleMs.toFixed(0)} ms, of which the pull ${one.pullMs.toFixed(0)} ms (${((100 * one.pullMs) / one.cycleMs).toFixed(0)}%)`);
  process.exit(ratio <= 1.5 ? 0 : 1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
