import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Resource, Snapshot } from '../core/resource.js';
import { observedHash } from '../snapshot/canonical.js';
import { initRepo } from './init.js';
import { recordFiles, writeRecord, type RecordInput } from './record.js';
import { canonicalLines, scrubbedJson } from './snapshot-files.js';
import { openStore, putTree, type Store } from './store.js';

const res = (address: string, kind: string, spec: Record<string, unknown>, deps: string[] = []): Resource => ({ address, kind, driver: 'scst', spec, deps });

function snap(resources: Resource[], hashed: boolean): Snapshot {
  const s: Snapshot = { node: 'a', takenAt: 'now', source: 'test', resources: new Map(resources.map((r) => [r.address, r])) };
  if (hashed) observedHash(s); // what observe() does with every snapshot it takes
  return s;
}

const rec = (s: Snapshot): RecordInput => ({
  kind: 'apply', node: 'a', host: 'sim:x', desiredRevision: 'f'.repeat(40), startedAt: 't0', finishedAt: '2026-01-01T00:00:00.000Z', ok: true,
  plan: { changes: [] }, outcome: [], snapshot: s,
});

const base = (blocksize: number, user = 'esx'): Resource[] => [
  res('scst/device/d1', 'scst.device', { handler: 'vdisk_nullio', attributes: { blocksize } }),
  res('scst/device/d2', 'scst.device', { handler: 'vdisk_nullio', attributes: { blocksize: 512 } }),
  res('scst/target/iscsi/t/lun/0', 'scst.lun', { device: 'd1' }, ['scst/device/d1', 'scst/target/iscsi/t']),
  res('scst/target/iscsi/t/chap/esx', 'scst.chap', { user, secret: 'hunter2' }, ['scst/target/iscsi/t']),
];

const gitCli = (repo: string, ...args: string[]) => execFileSync('git', ['--git-dir', repo, ...args], { encoding: 'utf8' }).trim();

/** The observed/ tree a record of `s` has when every kind file is written out (no reuse). */
async function fullTree(store: Store, s: Snapshot): Promise<string> {
  const { files, oids } = recordFiles(rec(s));
  const observed = Object.fromEntries(Object.entries(files).filter(([p]) => p.startsWith('observed/')).map(([p, c]) => [p.slice('observed/'.length), c]));
  const inner = Object.fromEntries(Object.entries(oids).filter(([p]) => p.startsWith('observed/')).map(([p, o]) => [p.slice('observed/'.length), o]));
  return putTree(store, observed, inner);
}

describe('kind files reused from the previous record', () => {
  let dir: string;
  let repo: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sanform-reuse-'));
    repo = join(dir, 'state.git');
    await initRepo({ repo, node: 'a', host: 'sim:x', sanform: ['node'] });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a record reusing unchanged kinds has the tree a full write gives; changed kinds are written anew', async () => {
    const store = await openStore(repo);
    const r1 = await writeRecord(store, rec(snap(base(512), true)));
    const meta1 = JSON.parse(gitCli(repo, 'show', `${r1.oid}:record.json`)) as { kindHashes: Record<string, string>; observedForm: number };
    assert.deepEqual(Object.keys(meta1.kindHashes), ['scst.chap', 'scst.device', 'scst.lun']);
    assert.equal(meta1.observedForm, 1);

    const s2 = snap(base(4096), true);
    const r2 = await writeRecord(store, rec(s2));
    assert.equal(gitCli(repo, 'rev-parse', `${r2.oid}:observed`), await fullTree(store, snap(base(4096), false)));
    assert.equal(gitCli(repo, 'rev-parse', `${r2.oid}:observed/scst.lun.json`), gitCli(repo, 'rev-parse', `${r1.oid}:observed/scst.lun.json`));
    assert.match(gitCli(repo, 'show', `${r2.oid}:observed/scst.device.json`), /"blocksize":4096/);
    assert.doesNotMatch(gitCli(repo, 'show', `${r2.oid}:observed/scst.chap.json`), /hunter2/);
    assert.equal(JSON.parse(gitCli(repo, 'show', `${r2.oid}:record.json`)).snapshotHash, recordFiles(rec(snap(base(4096), false))).meta.snapshotHash);
  });

  it('a snapshot nobody hashed, or a previous record of another stored form, reuses nothing and stays correct', async () => {
    const store = await openStore(repo);
    const r3 = await writeRecord(store, rec(snap(base(4096, 'vmw'), false)));
    const meta3 = JSON.parse(gitCli(repo, 'show', `${r3.oid}:record.json`)) as Record<string, unknown>;
    assert.equal(meta3.kindHashes, undefined);
    assert.match(gitCli(repo, 'show', `${r3.oid}:observed/scst.chap.json`), /"user":"vmw"/);
    // the next hashed record has nothing to compare with, so it writes every kind
    const r4 = await writeRecord(store, rec(snap(base(4096, 'esx'), true)));
    assert.match(gitCli(repo, 'show', `${r4.oid}:observed/scst.chap.json`), /"user":"esx"/);
    assert.equal(gitCli(repo, 'rev-parse', `${r4.oid}:observed`), await fullTree(store, snap(base(4096, 'esx'), false)));
    execFileSync('git', ['--git-dir', repo, 'fsck', '--strict'], { stdio: 'pipe' });
  });
});

describe('outcome.json', () => {
  it('has one change per line and reads back as the outcome list, errors included', () => {
    const outcome: RecordInput['outcome'] = [
      { address: 'scst/device/"odd"', action: 'create', status: 'applied' },
      { address: 'scst/device/d2', action: 'update', status: 'failed', error: { code: 'EINVAL', message: 'write failed' } },
      { address: 'scst/device/d3', action: 'delete', status: 'skipped', error: { code: 'SKIPPED', message: 'waits for scst/device/d2' } },
    ];
    const text = recordFiles({ ...rec(snap([], false)), outcome }).files['outcome.json']!.toString();
    assert.equal(text.split('\n').length, outcome.length + 3);
    assert.deepEqual(JSON.parse(text), outcome);
  });
});

describe('canonicalLines', () => {
  const json = fc.jsonValue({ maxDepth: 3 });
  const marked = fc.constantFrom('\u0001sanform-line\u0001', { a: ['\u0001sanform-line\u0001'] }, ['x', '\u0001sanform-line\u0001', 'y']);
  it('gives what scrubbedJson gives for each value, also when a value holds the marker', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(json, marked, fc.record({ secret: fc.string(), name: fc.string() })), { maxLength: 8 }), (values) => {
        assert.deepEqual(canonicalLines(values), values.map(scrubbedJson));
      }),
      { numRuns: 300 },
    );
  });
});
