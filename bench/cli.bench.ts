/**
 * Whole sanform processes next to their peers, measured side by side in one run (DESIGN §9): the
 * reference server (bench/reference.ts) read by the C floor reader (floor.c, built here) and by
 * `sanform observe` and a no-op `sanform plan`; start-up (`--version`) and `validate` of an example
 * next to bare `node -e 0`; `apply --repo` next to `apply -c` of the same one-LUN change. Each
 * round runs every peer once (so load spikes hit them alike); medians of the rounds. Ratios are
 * wall time; CPU time and peak RSS are printed beside them (GNU time). Runs bin/sanform.js, so it
 * rebuilds dist/ first.
 *
 *   node --import tsx bench/cli.bench.ts [--runs N] [--keep DIR]
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { buildDist } from '../pack/build.js';
import { buildFloor } from './floor.js';
import { ratioLine, runProc, summarize, type ProcRun } from './proc.js';
import { referenceServer } from './reference.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const RUNS = Number(arg('--runs') ?? 5);
const BUDGET = { startup: 1.5, validate: 3, observe: 2, plan: 2.5, rssMiB: 150, repo: 1.1 };
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'sanform.js');
const node = process.execPath;

console.log(`${new Date().toISOString().slice(0, 10)}, ${cpus().length} x ${cpus()[0]?.model ?? '?'}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
await buildDist();
const floor = buildFloor();
if (!floor.path) throw new Error(`the C floor cannot be built: ${floor.reason}`);

const keep = arg('--keep');
const scratch = keep ?? mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'sanform-cli-bench-'));
let ok = true;
try {
  const ref = existsSync(join(scratch, 'tree')) ? { config: join(scratch, 'sanform.yaml'), sim: join(scratch, 'sim'), tree: join(scratch, 'tree'), node: 'esos-sim' } : await referenceServer(scratch);
  const example = join(root, 'examples', 'iscsi-chap.yaml');
  const peers: Record<string, { argv: string[]; ok?: number[] }> = {
    node: { argv: [node, '-e', '0'] },
    version: { argv: [node, bin, '--version'] },
    validate: { argv: [node, bin, 'validate', '-c', example] },
    floor: { argv: [floor.path, ref.tree] },
    observe: { argv: [node, bin, 'observe', '--host', `local:${ref.tree}`] },
    plan: { argv: [node, bin, 'plan', '-c', ref.config, '--host', `local:${ref.tree}`, '--node', ref.node, '--detailed-exitcode'] },
  };
  const runs: Record<string, ProcRun[]> = Object.fromEntries(Object.keys(peers).map((k) => [k, []]));
  for (let i = 0; i <= RUNS; i++) {
    for (const [name, p] of Object.entries(peers)) {
      const r = runProc(p.argv, { ok: p.ok });
      if (i > 0) runs[name]!.push(r); // round 0 warms the page cache
    }
  }
  const s = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, summarize(v)]));
  const floorSaw = JSON.parse(runs.floor![0]!.stdout) as Record<string, number>;
  console.log(`reference tree: ${floorSaw.dirs} dirs, ${floorSaw.files} files, ${floorSaw.links} links; ${RUNS} rounds, medians`);
  ok = ratioLine('sanform --version vs node -e 0', s.version!, s.node!, BUDGET.startup) && ok;
  ok = ratioLine('sanform validate (example) vs node -e 0', s.validate!, s.node!, BUDGET.validate) && ok;
  ok = ratioLine('sanform observe vs the C floor', s.observe!, s.floor!, BUDGET.observe) && ok;
  ok = ratioLine('sanform plan, no-op, vs the C floor', s.plan!, s.floor!, BUDGET.plan) && ok;
  const rss = Math.max(s.observe!.rssMiB ?? 0, s.plan!.rssMiB ?? 0);
  const rssOk = rss <= BUDGET.rssMiB;
  ok = rssOk && ok;
  console.log(`${'peak RSS, observe / plan (floor)'.padEnd(44)} ${s.observe!.rssMiB?.toFixed(0)} / ${s.plan!.rssMiB?.toFixed(0)} MiB (${s.floor!.rssMiB?.toFixed(0)} MiB)  budget <= ${BUDGET.rssMiB} MiB  ${rssOk ? 'PASS' : 'FAIL'}`);

  // apply --repo vs apply -c: the same one-LUN change, each on its own copy of the server
  const changed = readFileSync(ref.config, 'utf8').replace('\n        luns:\n', '\n        luns:\n          100: bench0000\n');
  const cfg = join(scratch, 'changed.yaml');
  writeFileSync(cfg, changed);
  const simC = join(scratch, 'sim-c');
  const simR = join(scratch, 'sim-r');
  const repo = join(scratch, 'state.git');
  rmSync(repo, { recursive: true, force: true });
  cpSync(ref.sim, simR, { recursive: true });
  runProc([node, bin, 'init', '--repo', repo, '--host', `sim:${simR}`, '--node', ref.node]);
  commitMain(repo, changed);
  const applyRuns: Record<'c' | 'repo', ProcRun[]> = { c: [], repo: [] };
  for (let i = 0; i <= RUNS; i++) {
    for (const [dir] of [[simC], [simR]]) {
      rmSync(dir!, { recursive: true, force: true });
      cpSync(ref.sim, dir!, { recursive: true });
    }
    const c = runProc([node, bin, 'apply', '-c', cfg, '--host', `sim:${simC}`, '--node', ref.node, '--auto-approve']);
    const r = runProc([node, bin, 'apply', '--repo', repo, '--host', `sim:${simR}`, '--node', ref.node, '--auto-approve']);
    if (!/1 applied/.test(r.stdout) || !/1 (added|applied)|Apply complete|applied/.test(c.stdout)) throw new Error(`not a one-change apply:\n${c.stdout.slice(-500)}\n${r.stdout.slice(-500)}`);
    if (i > 0) {
      applyRuns.c.push(c);
      applyRuns.repo.push(r);
    }
  }
  const ac = summarize(applyRuns.c);
  const ar = summarize(applyRuns.repo);
  ratioLine('apply --repo vs apply -c (one LUN)', ar, ac);
  console.log(`  the difference, ${(ar.wallMs - ac.wallMs).toFixed(0)} ms wall, is the record: an observe after the apply and the git commit (budget: the rest within ${BUDGET.repo}x)`);
  console.log(ok ? 'PASS' : 'FAIL');
  process.exitCode = ok ? 0 : 1;
} finally {
  if (!keep) rmSync(scratch, { recursive: true, force: true });
}

/** Puts `text` as sanform.yaml on main of the bare repo with git plumbing (no hooks run). */
function commitMain(repo: string, text: string): void {
  const git = (args: string[], input?: string): string => execFileSync('git', ['--git-dir', repo, ...args], { input, encoding: 'utf8' }).trim();
  const blob = git(['hash-object', '-w', '--stdin'], text);
  const base = git(['ls-tree', 'refs/heads/main']).split('\n').filter((l) => !l.endsWith('\tsanform.yaml'));
  const tree = git(['mktree'], [...base, `100644 blob ${blob}\tsanform.yaml`].join('\n') + '\n');
  const env = { GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.com' };
  const commit = execFileSync('git', ['--git-dir', repo, 'commit-tree', tree, '-p', 'refs/heads/main', '-m', 'bench: one more LUN'], { encoding: 'utf8', env: { ...process.env, ...env } }).trim();
  git(['update-ref', 'refs/heads/main', commit]);
}
