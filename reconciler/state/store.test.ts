import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Resource, Snapshot } from '../core/resource.js';
import { commitRollback, isRollback, readDesired } from './desired.js';
import { lastGoodRevision, lastSnapshot, readRecords } from './history.js';
import { initRepo, repoSettings, STARTER_YAML } from './init.js';
import { writeRecord, type RecordInput } from './record.js';
import { openStore, putCommit, putTree, resolveRev, updateRef } from './store.js';

const res = (address: string, kind: string, spec: Record<string, unknown>): Resource => ({ address, kind, driver: 'scst', spec, deps: [] });

function snap(resources: Resource[]): Snapshot {
  return { node: 'a', takenAt: new Date().toISOString(), source: 'test', resources: new Map(resources.map((r) => [r.address, r])) };
}

const rec = (s: Snapshot, over: Partial<RecordInput> = {}): RecordInput => ({
  kind: 'apply', node: 'a', host: 'sim:x', desiredRevision: 'f'.repeat(40), startedAt: 't0', finishedAt: new Date().toISOString(), ok: true,
  plan: { changes: [] }, outcome: [{ address: 'scst/device/d1', action: 'create', status: 'applied' }], snapshot: s, ...over,
});

const gitCli = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });

describe('state store', () => {
  let dir: string;
  let repo: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sanform-store-'));
    repo = join(dir, 'state.git');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('init makes a bare repo with hooks, settings and a starter commit the git CLI reads', async () => {
    const { commit } = await initRepo({ repo, node: 'a', host: 'sim:/x', sanform: ['/usr/bin/node', '/opt/s.js'], lockFile: '/var/lock/conf_sync' });
    assert.equal(gitCli(repo, 'rev-parse', 'main').trim(), commit);
    assert.equal(gitCli(repo, 'show', 'main:sanform.yaml'), STARTER_YAML);
    assert.equal(gitCli(repo, 'config', 'core.bare').trim(), 'true');
    assert.ok(statSync(join(repo, 'hooks/pre-receive')).mode & 0o100);
    assert.match(readFileSync(join(repo, 'hooks/post-receive'), 'utf8'), /exec '\/usr\/bin\/node' '\/opt\/s.js' 'hook' 'post-receive'/);
    const store = await openStore(repo);
    assert.deepEqual(await repoSettings(store), { node: 'a', host: 'sim:/x', lockFile: '/var/lock/conf_sync' });
    const d = await readDesired(store);
    assert.equal(d.revision, commit);
    assert.deepEqual(d.files, [{ file: 'sanform.yaml', text: STARTER_YAML }]);
    await assert.rejects(initRepo({ repo, node: 'a', host: 'x', sanform: [] }), { code: 'STATE_REPO_EXISTS' });
  });

  it('records are byte-stable, secrets are fingerprints, drift is a git diff', async () => {
    const store = await openStore(repo);
    const chap = res('scst/target/iscsi/t', 'scst.target', { incomingUser: [{ user: 'esx', secret: 'hunter2' }] });
    const s1 = snap([res('scst/device/d1', 'scst.device', { blocksize: 512 }), chap]);
    const r1 = await writeRecord(store, rec(s1));
    const r2 = await writeRecord(store, rec(snap([res('scst/device/d1', 'scst.device', { blocksize: 512 }), chap])));
    assert.equal(gitCli(repo, 'rev-parse', `${r1.oid}:observed`), gitCli(repo, 'rev-parse', `${r2.oid}:observed`));
    const target = gitCli(repo, 'show', `${r2.oid}:observed/scst.target.json`);
    assert.doesNotMatch(target, /hunter2/);
    assert.match(target, /sha256:[0-9a-f]{12}/);
    const r3 = await writeRecord(store, rec(snap([res('scst/device/d1', 'scst.device', { blocksize: 4096 }), chap])));
    const diff = gitCli(repo, 'diff', r2.oid, r3.oid, '--', 'observed/');
    assert.match(diff, /^-"scst\/device\/d1".*512/m);
    assert.match(diff, /^\+"scst\/device\/d1".*4096/m);
    assert.equal(gitCli(repo, 'rev-parse', 'refs/sanform/a/applied').trim(), r3.oid);
    gitCli(repo, 'fsck', '--strict');
  });

  it('observed records are skipped when nothing changed; log and last snapshot read them', async () => {
    const store = await openStore(repo);
    const s = snap([res('scst/device/d1', 'scst.device', { blocksize: 1024 })]);
    const o1 = await writeRecord(store, rec(s, { kind: 'observe', startedAt: 'x' }), { skipIfSame: true });
    const o2 = await writeRecord(store, rec(s, { kind: 'observe', startedAt: 'y' }), { skipIfSame: true });
    assert.equal(o1.created, true);
    assert.equal(o2.created, false);
    assert.equal(o2.oid, o1.oid);
    const log = await readRecords(store, { node: 'a' });
    assert.equal(log.length, 4);
    const last = await lastSnapshot(store, 'a');
    assert.equal(last.snapshot.resources.get('scst/device/d1')?.spec.blocksize, 1024);
    assert.equal(await lastGoodRevision(store, 'a'), 'f'.repeat(40));
    await assert.rejects(lastSnapshot(store, 'nobody'), { code: 'STATE_NO_RECORD' });
  });

  it('reads a pushed commit from the quarantine (loose or packed) during pre-receive', async () => {
    const other = join(dir, 'other');
    execFileSync('git', ['init', '-q', '-b', 'main', other]);
    execFileSync('sh', ['-c', 'printf "version: 1\\n" > sanform.yaml && git add sanform.yaml && git -c user.name=a -c user.email=a@b commit -qm x && git gc -q'], { cwd: other });
    const oid = gitCli(other, 'rev-parse', 'HEAD').trim();
    await assert.rejects(readDesired(await openStore(repo), oid), { code: 'STATE_REV_UNKNOWN' });
    const store = await openStore(repo, { quarantine: join(other, '.git', 'objects') });
    assert.deepEqual((await readDesired(store, oid)).files, [{ file: 'sanform.yaml', text: 'version: 1\n' }]);
  });

  it('ref updates are compare-and-swap; rollback adds a commit on main', async () => {
    const store = await openStore(repo);
    const first = await resolveRev(store, 'main');
    await assert.rejects(updateRef(store, { ref: 'refs/heads/main', value: first, expect: 'e'.repeat(40) }), { code: 'STATE_REF_MOVED' });
    const oid = await commitRollback(store, { rev: first.slice(0, 8), node: 'a' });
    assert.equal(gitCli(repo, 'rev-parse', 'main^').trim(), first);
    assert.equal(gitCli(repo, 'rev-parse', 'main').trim(), oid);
    assert.equal(await isRollback(store, oid), true);
    assert.equal(await isRollback(store, first), false);
    await assert.rejects(resolveRev(store, 'no-such-rev'), { code: 'STATE_REV_UNKNOWN' });
    await assert.rejects(openStore(join(dir, 'nope')), { code: 'STATE_REPO_MISSING' });
  });
});

describe('objects sanform writes itself', () => {
  it('trees and commits have the ids the git CLI gives the same content, and pass git fsck', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sanform-objects-'));
    try {
      const repo = join(dir, 'r.git');
      gitCli(dir, 'init', '-q', '--bare', repo);
      const store = await openStore(repo);
      // names whose order differs between plain byte order and git's (a tree sorts as `name/`)
      const files = { 'a.json': 'x\n', 'a/b.json': 'y\n', 'a-b': 'z\n', 'Z/q': 'q\n', 'observed/scst.lun.json': '[]\n' };
      const tree = await putTree(store, files);
      const work = join(dir, 'w');
      gitCli(dir, 'init', '-q', work);
      for (const [path, text] of Object.entries(files)) {
        const oid = execFileSync('git', ['-C', work, 'hash-object', '-w', '--stdin'], { input: text, encoding: 'utf8' }).trim();
        gitCli(work, 'update-index', '--add', '--cacheinfo', `100644,${oid},${path}`);
      }
      assert.equal(gitCli(work, 'write-tree').trim(), tree);
      const who = { name: 'sanform', email: 'sanform@a', timestamp: 1_700_000_000 };
      const first = await putCommit(store, { tree, parents: [], who, message: 'one\n\nbody\n' });
      const second = await putCommit(store, { tree, parents: [first], who, message: 'two\n' });
      const env = { ...process.env, GIT_AUTHOR_NAME: 'sanform', GIT_AUTHOR_EMAIL: 'sanform@a', GIT_AUTHOR_DATE: '1700000000 +0000', GIT_COMMITTER_NAME: 'sanform', GIT_COMMITTER_EMAIL: 'sanform@a', GIT_COMMITTER_DATE: '1700000000 +0000' };
      const commitTree = (msg: string, ...parents: string[]) =>
        execFileSync('git', ['-C', work, 'commit-tree', tree, ...parents.flatMap((p) => ['-p', p])], { input: msg, env, encoding: 'utf8' }).trim();
      assert.equal(commitTree('one\n\nbody\n'), first);
      assert.equal(commitTree('two\n', first), second);
      gitCli(repo, 'update-ref', 'refs/heads/main', second);
      gitCli(repo, 'fsck', '--strict', '--no-dangling');
      assert.equal(gitCli(repo, 'show', 'main:a/b.json'), 'y\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pending records', () => {
  it('wait while the repo is missing, are written in order once it is back; a torn file is set aside', async () => {
    const { mkdirSync, writeFileSync, readdirSync } = await import('node:fs');
    const { listPending, recordSafely } = await import('./pending.js');
    const dir = mkdtempSync(join(tmpdir(), 'sanform-pending-'));
    try {
      const repo = join(dir, 'state.git');
      const stateDir = join(dir, 'state');
      const s = snap([res('scst/device/d1', 'scst.device', { blocksize: 512 })]);
      const r1 = await recordSafely({ repo, stateDir, record: rec(s, { startedAt: 'one' }) });
      assert.equal(r1.ok, false);
      assert.equal(r1.error?.code, 'STATE_REPO_MISSING');
      mkdirSync(join(stateDir, 'pending-records'), { recursive: true });
      writeFileSync(join(stateDir, 'pending-records', '000000000000001-torn.json'), '{"repo":');
      await initRepo({ repo, node: 'a', host: 'x', sanform: [] });
      const r2 = await recordSafely({ repo, stateDir, record: rec(s, { startedAt: 'two' }) });
      assert.equal(r2.ok, true);
      assert.equal(r2.flushed.length, 1);
      assert.deepEqual(await listPending(stateDir), []);
      assert.ok(readdirSync(join(stateDir, 'pending-records')).some((f) => f.endsWith('.bad')));
      const starts = (await readRecords(await openStore(repo), { node: 'a' })).map((e) => e.meta.startedAt);
      assert.deepEqual(starts.sort(), ['one', 'two']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
