import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ImportIoError, ImportWouldOverwriteError, readInput, writeAllOrNothing, type OutputFile } from './import-files.js';

let tmp = '';
let n = 0;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sanform-import-files-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});
const fresh = async (): Promise<string> => {
  const d = join(tmp, `t${n++}`);
  await mkdir(d);
  return d;
};
const filesUnder = async (dir: string): Promise<string[]> => (await readdir(dir, { recursive: true })).map(String).sort();
const file = (path: string, content: string, mode = 0o644): OutputFile => ({ path, content, mode });

test('new files are written with their modes, directories made with dirMode', async () => {
  const dir = await fresh();
  const r = await writeAllOrNothing([file(join(dir, 'a/x.yaml'), 'x\n'), { ...file(join(dir, 's/k'), 'k\n', 0o600), dirMode: 0o700 }], { force: false });
  assert.deepEqual(r.map((o) => o.status), ['written', 'written']);
  assert.equal(await readFile(join(dir, 'a/x.yaml'), 'utf8'), 'x\n');
  assert.equal((await stat(join(dir, 's/k'))).mode & 0o777, 0o600);
  assert.equal((await stat(join(dir, 's'))).mode & 0o777, 0o700);
});

test('a file already holding the content is unchanged; one with other content is refused unless force', async () => {
  const dir = await fresh();
  await writeFile(join(dir, 'same'), 'same\n');
  await writeFile(join(dir, 'other'), 'mine\n');
  const files = [file(join(dir, 'same'), 'same\n'), file(join(dir, 'other'), 'theirs\n'), file(join(dir, 'new'), 'new\n')];
  await assert.rejects(writeAllOrNothing(files, { force: false }), (e: unknown) => {
    assert.ok(e instanceof ImportWouldOverwriteError);
    assert.equal(e.code, 'IMPORT_WOULD_OVERWRITE');
    assert.deepEqual(e.data.paths, [join(dir, 'other')]);
    return true;
  });
  assert.deepEqual(await filesUnder(dir), ['other', 'same'], 'the new file was not written either');
  const r = await writeAllOrNothing(files, { force: true });
  assert.deepEqual(r.map((o) => o.status), ['unchanged', 'written', 'written']);
  assert.equal(await readFile(join(dir, 'other'), 'utf8'), 'theirs\n');
});

test('a failure after some files were staged removes them, their temporaries and the directories made', async () => {
  const dir = await fresh();
  await writeFile(join(dir, 'blocker'), 'x');
  const files = [file(join(dir, 'made/deep/a'), 'a\n'), file(join(dir, 'blocker/b'), 'b\n')];
  await assert.rejects(writeAllOrNothing(files, { force: true }), (e: unknown) => {
    assert.ok(e instanceof ImportIoError);
    assert.equal(e.code, 'IMPORT_WRITE_FAILED');
    assert.equal(e.data.path, dir + '/blocker');
    return true;
  });
  assert.deepEqual(await filesUnder(dir), ['blocker']);
});

test('a path that is a directory is refused before anything is written', async () => {
  const dir = await fresh();
  await mkdir(join(dir, 'd'));
  await assert.rejects(writeAllOrNothing([file(join(dir, 'first'), '1\n'), file(join(dir, 'd'), '2\n')], { force: true }), { code: 'IMPORT_WRITE_FAILED' });
  assert.deepEqual(await filesUnder(dir), ['d']);
});

test('readInput: a missing file is IMPORT_READ_FAILED naming it', async () => {
  const dir = await fresh();
  await assert.rejects(readInput(join(dir, 'nope')), (e: unknown) => e instanceof ImportIoError && e.code === 'IMPORT_READ_FAILED' && e.data.path === join(dir, 'nope'));
});
