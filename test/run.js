// Runs the project's *.test.ts files with node:test (Node 20's --test has no globs), several
// files at once, one process per file.
//
// Usage: node test/run.js [--jobs N] [substring ...]
//   substrings: run only the files whose path contains one of them
//   --jobs N (or SANFORM_TEST_JOBS=N): files run at once (default 3)
//   SANFORM_TEST_FILE_TIMEOUT=SECONDS: a file still running after this is killed and fails (600)
//   SANFORM_TEST_TSX=1: run the sources through tsx, compiling nothing first
//
// First it compiles the run (test/bundle.ts, a few seconds): the CLI as dist/ is built, for the
// tests that start sanform as a process (SANFORM_TEST_BIN names its entry; test/bin.ts), and each
// test file bundled with the sources it imports, so a process starts without tsx compiling a few
// hundred modules (stack traces map back to the sources). If that build fails, it says so and
// runs the sources through tsx.
//
// Prints one line per finished file (pass/fail, time, test counts), a line naming the files still
// running when nothing finished for a while, the output of every failing file, and a summary with
// the total time. Each file runs with its own TMPDIR; a file that leaves a sanform-* entry behind
// there fails, named.
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const folders = ['schema', 'reconciler', 'drivers', 'native', 'cli', 'pack', 'test'];

const args = process.argv.slice(2);
let jobs = Number(process.env.SANFORM_TEST_JOBS ?? 3);
const filters = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--jobs' || a === '-j') jobs = Number(args[++i]);
  else if (a.startsWith('--jobs=')) jobs = Number(a.slice('--jobs='.length));
  else filters.push(a);
}
if (!Number.isInteger(jobs) || jobs < 1) {
  console.error('--jobs wants a whole number of at least 1');
  process.exit(2);
}
const fileTimeoutMs = Number(process.env.SANFORM_TEST_FILE_TIMEOUT ?? 600) * 1000;

const files = folders
  .flatMap((d) => {
    try {
      return readdirSync(join(root, d), { recursive: true }).map((f) => join(d, String(f)));
    } catch {
      return [];
    }
  })
  .filter((f) => f.endsWith('.test.ts') && !f.includes('node_modules'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

// Longest files first (times from the previous run, kept outside git), so the run ends evenly.
const timesFile = join(root, 'node_modules', '.cache', 'sanform', 'test-times.json');
let lastTimes = {};
try {
  lastTimes = JSON.parse(readFileSync(timesFile, 'utf8'));
} catch {
  lastTimes = {};
}
const queue = [...files].sort((a, b) => (lastTimes[b] ?? 1e9) - (lastTimes[a] ?? 1e9));

// Every file gets a TMPDIR of its own under this one; tsx's compile cache stays shared.
const sysTmp = tmpdir();
const runDir = mkdtempSync(join(sysTmp, 'sanform-testrun-'));
chmodSync(runDir, 0o755);
const uid = process.getuid?.() ?? 0;
mkdirSync(join(sysTmp, `tsx-${uid}`), { recursive: true });
const tsxCaches = readdirSync(sysTmp).filter((n) => /^tsx-\d+$/.test(n));

const sanformInTmp = () =>
  new Set(readdirSync(sysTmp).filter((n) => n.startsWith('sanform-') && !join(sysTmp, n).startsWith(runDir)));
const before = sanformInTmp();

const fmt = (ms) => (ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`);
const count = (out, key) => Number(new RegExp(`^ℹ ${key} (\\d+)$`, 'm').exec(out)?.[1] ?? 0);

const started = Date.now();

// The compiled run, under node_modules/ (so the bundles find the npm packages), removed at the end.
const buildDir = join(root, 'node_modules', '.cache', 'sanform', `run-${process.pid}`);
let bundled = false;
if (process.env.SANFORM_TEST_TSX !== '1') {
  // child scripts the tests start (`*-child.ts`) are bundled too (test/bin.ts `bundled()`)
  const children = folders.flatMap((d) => {
    try {
      return readdirSync(join(root, d), { recursive: true }).map((f) => join(d, String(f)));
    } catch {
      return [];
    }
  }).filter((f) => f.endsWith('-child.ts') && !f.includes('node_modules'));
  const b = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test', 'bundle.ts'), buildDir, ...files, ...children], { cwd: root, encoding: 'utf8' });
  bundled = b.status === 0;
  if (!bundled) console.log(`compiling the run failed (running the sources through tsx):\n${`${b.stdout}${b.stderr}`.replace(/^/gm, '    | ').trimEnd()}`);
}
const bundleOf = (file) => join(buildDir, 'tests', file.replace(/\.ts$/, '.js'));
// git run by the tests and by sanform under them: no automatic gc or maintenance after each
// receive or fetch (two more processes per push; nothing here checks them)
const gitEnv = { GIT_CONFIG_COUNT: '2', GIT_CONFIG_KEY_0: 'gc.auto', GIT_CONFIG_VALUE_0: '0', GIT_CONFIG_KEY_1: 'maintenance.auto', GIT_CONFIG_VALUE_1: 'false' };
const childEnv = { ...(process.env.GIT_CONFIG_COUNT ? {} : gitEnv), ...(bundled ? { SANFORM_TEST_BIN: join(buildDir, 'cli', 'sanform-test.js'), SANFORM_TEST_BUNDLES: join(buildDir, 'tests') } : {}) };
const cleanBuild = () => rmSync(buildDir, { recursive: true, force: true });

const running = new Map(); // file -> { child, start }
const results = [];
let lastFinish = Date.now();
let nextIndex = 0;

function runOne(file, slot) {
  return new Promise((resolve) => {
    const tmp = join(runDir, String(slot).padStart(3, '0'));
    mkdirSync(tmp);
    chmodSync(tmp, 0o1777); // like /tmp: tests that drop privileges write here too
    for (const c of tsxCaches) symlinkSync(join(sysTmp, c), join(tmp, c));
    const start = Date.now();
    // a bundle runs as the process itself (`node --test FILE` would start a second process for it)
    const argv = bundled
      ? ['--enable-source-maps', '--test-reporter=spec', bundleOf(file)]
      : ['--import', 'tsx', '--test', '--test-reporter=spec', relative(process.cwd(), join(root, file))];
    const child = spawn(
      process.execPath,
      argv,
      // secret files are read only from the machine's secrets directory: for a test file, its
      // TMPDIR, where its fixtures are made (a test of the restriction sets its own)
      { cwd: process.cwd(), env: { ...process.env, ...childEnv, TMPDIR: tmp, SANFORM_SECRETS_DIR: process.env.SANFORM_SECRETS_DIR ?? tmp }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, fileTimeoutMs);
    running.set(file, { child, start });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(file);
      const end = Date.now();
      const left = readdirSync(tmp).filter((n) => !tsxCaches.includes(n));
      rmSync(tmp, { recursive: true, force: true });
      resolve({ file, code, signal, timedOut, out, start, end, ms: end - start, left });
    });
  });
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function report(r) {
  const problems = [];
  if (r.timedOut) problems.push(`killed after ${fmt(fileTimeoutMs)} (SANFORM_TEST_FILE_TIMEOUT)`);
  else if (r.code !== 0) problems.push(r.signal ? `ended by ${r.signal}` : `exit code ${r.code}`);
  const leaked = r.left.filter((n) => n.startsWith('sanform-'));
  if (leaked.length > 0) problems.push(`left ${leaked.length} sanform-* temp entr${leaked.length === 1 ? 'y' : 'ies'} behind (${leaked.slice(0, 3).join(', ')}${leaked.length > 3 ? ', ...' : ''})`);
  r.problems = problems;
  r.ok = problems.length === 0;
  results.push(r);
  lastFinish = Date.now();
  const tests = count(r.out, 'tests');
  const fail = count(r.out, 'fail');
  const mark = r.ok ? 'ok  ' : 'FAIL';
  const n = String(results.length).padStart(String(files.length).length);
  console.log(`[${n}/${files.length}] ${mark} ${r.file}  ${fmt(r.ms)}  (${tests} tests${fail ? `, ${fail} failed` : ''})${r.ok ? '' : ` - ${problems.join('; ')}`}`);
  if (r.code !== 0 || r.timedOut) {
    const at = r.out.indexOf('✖ failing tests:');
    const text = at >= 0 ? r.out.slice(at) : r.out;
    console.log(text.replace(/^/gm, '    | ').trimEnd());
  }
}

const heartbeat = setInterval(() => {
  if (Date.now() - lastFinish < 20_000 || running.size === 0) return;
  const now = Date.now();
  const list = [...running].map(([f, { start }]) => `${f} (${fmt(now - start)})`).join(', ');
  console.log(`      still running: ${list}`);
  lastFinish = now;
}, 5_000);

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    for (const { child } of running.values()) killGroup(child);
    rmSync(runDir, { recursive: true, force: true });
    cleanBuild();
    process.exit(130);
  });
}

console.log(`${bundled ? `compiled in ${fmt(Date.now() - started)}; ` : ''}running ${files.length} test file${files.length === 1 ? '' : 's'}, ${Math.min(jobs, files.length)} at once`);
async function worker(slot) {
  while (nextIndex < queue.length) {
    const file = queue[nextIndex++];
    report(await runOne(file, `${slot}-${nextIndex}`));
  }
}
await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, (_, i) => worker(i)));
clearInterval(heartbeat);
rmSync(runDir, { recursive: true, force: true });
cleanBuild();

// sanform-* entries made directly in /tmp (not under TMPDIR) are not blamed on a file: other
// processes on the machine (another checkout's tests, a sanform run) make them too. Counted only.
const strays = [...sanformInTmp()].filter((n) => !before.has(n));

const total = Date.now() - started;
const failed = results.filter((r) => !r.ok);
const sum = (k) => results.reduce((s, r) => s + count(r.out, k), 0);
console.log('');
console.log(`slowest: ${[...results].sort((a, b) => b.ms - a.ms).slice(0, 5).map((r) => `${r.file} ${fmt(r.ms)}`).join(', ')}`);
for (const r of failed) console.log(`FAIL ${r.file}: ${r.problems.join('; ')}`);
if (strays.length > 0) console.log(`note: ${strays.length} sanform-* entr${strays.length === 1 ? 'y' : 'ies'} appeared directly in ${sysTmp} during the run (not under a test's TMPDIR; other processes on this machine make them too)`);
console.log(
  `${results.length} files, ${sum('tests')} tests: ${sum('pass')} passed, ${sum('fail')} failed, ${sum('skipped')} skipped; ` +
    `${failed.length} file${failed.length === 1 ? '' : 's'} failed; total ${fmt(total)} (${Math.min(jobs, files.length)} at once)`,
);

try {
  const times = { ...lastTimes };
  for (const r of results) times[r.file] = r.ms;
  mkdirSync(join(timesFile, '..'), { recursive: true });
  const tmpFile = `${timesFile}.${process.pid}`;
  writeFileSync(tmpFile, JSON.stringify(times, null, 1));
  renameSync(tmpFile, timesFile);
} catch {
  // the order of the next run is only an optimisation
}
if (existsSync(runDir)) rmSync(runDir, { recursive: true, force: true });
process.exit(failed.length === 0 ? 0 : 1);
