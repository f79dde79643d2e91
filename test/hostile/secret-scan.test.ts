/**
 * Secret scanner (issue 9): with known CHAP secret values, push through the git hooks (applied
 * and recorded), make a write fail (SCST refuses a secret under 12 bytes), plan with --commands,
 * --json and --out, kill -9 an apply in the middle of a secret rotation and recover; then read
 * everything sanform wrote (stdout and stderr of every run, the journal, lock and state files,
 * outcome and plan files, every git object of the state repository: loose objects inflated,
 * packs, and `git cat-file --batch-all-objects --batch`) and find no value anywhere, while
 * the secrets' names do appear. The emulated kernel's own state (sim/machine) holds the values
 * as SCST does and is not sanform's output.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { makeWorld, run, SANFORM, type Run } from '../gitops/helpers.js';

const GOOD = 'Scan7goodSecret42';
const ROTATED = 'Scan7rotatedSecret99';
const SHORT = 'Scn7shrt'; // under 12 bytes: SCST refuses it, the write fails
const VALUES = [GOOD, ROTATED, SHORT];
/** the values as they could be spelled in what sanform writes. */
const needles = VALUES.flatMap((v) => [v, Buffer.from(v).toString('base64'), Buffer.from(v).toString('hex')]);
const env = { SANFORM_SCAN_GOOD: GOOD, SANFORM_SCAN_ROTATED: ROTATED, SANFORM_SCAN_SHORT: SHORT };
const child = fileURLToPath(new URL('../gitops/kill-child.ts', import.meta.url));

const IQN = 'iqn.2026-01.com.example:esos.scan';
const yamlWith = (users: { user: string; secret: string }[]): string => `version: 1
secrets:
  chap-good: { env: SANFORM_SCAN_GOOD }
  chap-rotated: { env: SANFORM_SCAN_ROTATED }
  chap-short: { env: SANFORM_SCAN_SHORT }
scst:
  devices:
    lun0: { handler: vdisk_nullio }
  targets:
    iscsi:
      ${IQN}:
        auth: { incoming: [${users.map((u) => `{ user: ${u.user}, secret: ${u.secret} }`).join(', ')}] }
        luns: { 0: lun0 }
`;

/** Where a needle occurs in `buf` (a description per hit). */
function hits(buf: Buffer, where: string): string[] {
  return needles.filter((n) => buf.includes(n)).map((n) => `${where}: ${VALUES.includes(n) ? 'value' : 'encoded value'}`);
}

/** Every file under `dir` (the emulated kernel's own state excepted). */
function filesUnder(dir: string, skip: (p: string) => boolean): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (skip(p)) continue;
    if (e.isDirectory()) out.push(...filesUnder(p, skip));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** Everything in a git repository: each file raw, loose objects inflated, and every object's content. */
function scanRepo(repo: string): { found: string[]; objects: number } {
  const found: string[] = [];
  for (const f of filesUnder(repo, () => false)) {
    const buf = readFileSync(f);
    found.push(...hits(buf, relative(repo, f)));
    if (/objects\/[0-9a-f]{2}\/[0-9a-f]{38}$/.test(f)) found.push(...hits(inflateSync(buf), `${relative(repo, f)} (inflated)`));
  }
  const all = spawnSync('git', ['cat-file', '--batch-all-objects', '--batch'], { cwd: repo, maxBuffer: 1 << 30 });
  assert.equal(all.status, 0, String(all.stderr));
  found.push(...hits(all.stdout, `${repo}: git cat-file --batch-all-objects`));
  const objects = String(spawnSync('git', ['cat-file', '--batch-all-objects', '--batch-check'], { cwd: repo }).stdout).split('\n').filter(Boolean).length;
  return { found, objects };
}

test('the scanner finds a value in a zlib-compressed loose object and in cat-file output (it can fail)', async () => {
  const w = await makeWorld('sanform-scan-self-');
  try {
    const blob = run(['git', 'hash-object', '-w', '--stdin'], { cwd: w.repo, input: `chap = ${GOOD}\n` });
    assert.equal(blob.status, 0, blob.all);
    const { found } = scanRepo(w.repo);
    assert.ok(found.some((f) => f.includes('(inflated)')), found.join('\n'));
    assert.ok(found.some((f) => f.includes('cat-file')), found.join('\n'));
  } finally {
    w.cleanup();
  }
});

test('apply, a failed write, plans, kill -9 and a push: no secret value in anything sanform wrote', async () => {
  const w = await makeWorld('sanform-scan-');
  const outputs: Run[] = [];
  const sf = (args: string[]): Run => {
    const r = run([process.execPath, SANFORM, ...args], { cwd: w.work, env });
    outputs.push(r);
    return r;
  };
  const push = (yaml: string, message: string): Run => {
    writeFileSync(join(w.work, 'sanform.yaml'), yaml);
    assert.equal(run(['git', 'commit', '-q', '-am', message], { cwd: w.work }).status, 0);
    const r = run(['git', 'push', 'origin', 'main'], { cwd: w.work, env });
    outputs.push(r);
    return r;
  };
  const host = ['--host', `sim:${w.sim}`, '--node', w.node];
  try {
    // 1. a push that applies and records
    const good = push(yamlWith([{ user: 'esx', secret: 'chap-good' }]), 'chap');
    assert.equal(good.status, 0, good.all);
    // 2. a push whose CHAP write fails in the kernel: reported and recorded by name
    const bad = push(yamlWith([{ user: 'esx', secret: 'chap-good' }, { user: 'esx2', secret: 'chap-short' }]), 'short secret');
    assert.match(bad.all, /chap-short/, 'the failure names the secret');
    const cfg = join(w.work, 'sanform.yaml');
    const direct = sf(['apply', '-c', cfg, ...host, '--auto-approve']);
    assert.equal(direct.status, 1, direct.all);
    assert.match(direct.all, /chap-short/);
    // 3. plans in every rendering, and a saved plan file
    sf(['plan', '-c', cfg, ...host, '--commands']);
    sf(['plan', '-c', cfg, ...host, '--json']);
    sf(['plan', '-c', cfg, ...host, '--out', join(w.dir, 'saved.plan.json')]);
    sf(['drift', '-c', cfg, ...host]);
    // 4. kill -9 in the middle of a rotation (after the first kernel write), then recover
    writeFileSync(cfg, yamlWith([{ user: 'esx', secret: 'chap-rotated' }]));
    assert.equal(run(['git', 'commit', '-q', '-am', 'rotate'], { cwd: w.work }).status, 0);
    assert.equal(run(['git', 'fetch', '-q', w.work, '+main:main'], { cwd: w.repo }).status, 0);
    const killed = spawnSync(process.execPath, ['--import', 'tsx', child, w.repo, w.sim, w.node, 'write:1:after'], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
    assert.equal(killed.signal, 'SIGKILL', `${killed.stdout}${killed.stderr}`);
    outputs.push({ status: -1, stdout: killed.stdout, stderr: killed.stderr, all: `${killed.stdout}${killed.stderr}` });
    const again = sf(['apply', '--repo', w.repo, ...host, '--auto-approve', '--lock-timeout', '0']);
    assert.equal(again.status, 0, again.all);
    assert.match(again.all, /was killed/);
    // 5. one more push after the recovery
    const last = push(yamlWith([{ user: 'esx', secret: 'chap-rotated' }, { user: 'esx3', secret: 'chap-good' }]), 'another user');
    assert.equal(last.status, 0, last.all);

    const found: string[] = [];
    for (const [i, r] of outputs.entries()) found.push(...hits(Buffer.from(r.all), `output of run ${i}`));
    const machine = join(w.sim, 'machine');
    const repos = [w.repo, join(w.work, '.git')];
    for (const f of filesUnder(w.dir, (p) => p === machine || repos.includes(p))) found.push(...hits(readFileSync(f), relative(w.dir, f)));
    let objects = 0;
    for (const r of repos) {
      const s = scanRepo(r);
      found.push(...s.found);
      objects += s.objects;
    }
    assert.deepEqual(found, [], 'a secret value was written');
    // what was scanned is what it should be: records with outcomes naming the secrets
    assert.ok(objects > 20, `${objects} git objects`);
    const names = spawnSync('git', ['cat-file', '--batch-all-objects', '--batch'], { cwd: w.repo, maxBuffer: 1 << 30 }).stdout;
    assert.ok(names.includes('chap-short'), 'the records name the failed secret');
    assert.ok(statSync(join(w.sim, 'state', 'journal.jsonl')).size > 0);
  } finally {
    w.cleanup();
  }
});
