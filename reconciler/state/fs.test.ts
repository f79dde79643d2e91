import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import git from 'isomorphic-git';
import { batchObjectWrites, stateFs } from './fs.js';
import { blobOid, putBlob, putTree } from './store.js';

const objectPath = (gitdir: string, oid: string) => join(gitdir, 'objects', oid.slice(0, 2), oid.slice(2));

/** Every file under objects/ whose name is not a finished object (temporary files left behind). */
function strays(gitdir: string): string[] {
  const out: string[] = [];
  for (const d of readdirSync(join(gitdir, 'objects'))) {
    if (!/^[0-9a-f]{2}$/.test(d)) continue;
    for (const f of readdirSync(join(gitdir, 'objects', d))) if (!/^[0-9a-f]{38}$/.test(f)) out.push(`${d}/${f}`);
  }
  return out;
}

describe('batched object writes', () => {
  let dir: string;
  let gitdir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sanform-batch-'));
    gitdir = join(dir, 'r.git');
    await git.init({ fs: stateFs({ gitdir }), gitdir, bare: true, defaultBranch: 'main' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('objects appear only at flush, and git reads what was written (deflated by sanform, level 1)', async () => {
    const batch = batchObjectWrites(stateFs({ gitdir }), gitdir);
    const store = { gitdir, fs: batch.fs, cache: {} };
    const text = Buffer.from('{\n"a": 1\n}\n'.repeat(50));
    const tree = await putTree(store, { 'observed/x.json': text, 'record.json': 'r\n' }, { 'observed/x.json': blobOid(text) });
    assert.equal(existsSync(objectPath(gitdir, blobOid(text))), false);
    assert.equal(existsSync(objectPath(gitdir, tree)), false);
    await batch.flush();
    assert.equal(existsSync(objectPath(gitdir, tree)), true);
    assert.deepEqual(strays(gitdir), []);
    assert.equal(execFileSync('git', ['--git-dir', gitdir, 'cat-file', '-p', `${tree}:observed/x.json`]).toString(), text.toString());
    execFileSync('git', ['--git-dir', gitdir, 'fsck', '--strict'], { stdio: 'pipe' });
  });

  it('discard leaves neither objects nor temporary files; a blob the repo has is not written again', async () => {
    const batch = batchObjectWrites(stateFs({ gitdir }), gitdir);
    const store = { gitdir, fs: batch.fs, cache: {} };
    const oid = await putBlob(store, 'never flushed\n');
    assert.equal(existsSync(objectPath(gitdir, oid)), false);
    assert.ok(strays(gitdir).length > 0);
    await batch.discard();
    assert.deepEqual(strays(gitdir), []);
    assert.equal(existsSync(objectPath(gitdir, oid)), false);

    const again = batchObjectWrites(stateFs({ gitdir }), gitdir);
    await putBlob({ gitdir, fs: again.fs, cache: {} }, 'r\n');
    assert.deepEqual(strays(gitdir), [], 'record.json of the first test is in the repo already');
    await again.flush();
  });
});
