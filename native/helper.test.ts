/**
 * One suite, run against the compiled addon and the JavaScript fallback: both must give the
 * same results on real files (temp dirs; FUSE-backed cases live in test/fuse/).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { activeImplementation, fallbackHelper, nativeHelper, type SysfsHelper, type TreeEntry } from './index.js';
import { loadAddon } from './addon.js';

const big = 'x'.repeat(5000);

/** A small sysfs-like tree; returns the entries readTree must report, in order. */
function buildTree(root: string): TreeEntry[] {
  mkdirSync(join(root, 'devices/d1'), { recursive: true });
  mkdirSync(join(root, 'handlers/vdisk_fileio'), { recursive: true });
  mkdirSync(join(root, 'empty'));
  mkdirSync(join(root, 'locked'));
  writeFileSync(join(root, 'locked/secret'), 's\n');
  chmodSync(join(root, 'locked/secret'), 0o644);
  chmodSync(join(root, 'locked'), 0o700);
  writeFileSync(join(root, 'devices/d1/size'), '1048576\n[key]\n');
  writeFileSync(join(root, 'devices/d1/big'), big);
  writeFileSync(join(root, 'devices/d1/nul'), 'a\0b');
  writeFileSync(join(root, 'devices/d1/empty'), '');
  writeFileSync(join(root, 'devices/d1/ro'), '1\n', { mode: 0o444 });
  chmodSync(join(root, 'devices/d1/ro'), 0o444);
  writeFileSync(join(root, 'handlers/vdisk_fileio/mgmt'), 'Usage: echo "add_device" >mgmt\n');
  chmodSync(join(root, 'handlers/vdisk_fileio/mgmt'), 0o200);
  symlinkSync('../../handlers/vdisk_fileio', join(root, 'devices/d1/handler'));
  symlinkSync('../../devices/d1', join(root, 'handlers/vdisk_fileio/d1'));
  symlinkSync('nowhere', join(root, 'dangling'));
  spawnSync('mkfifo', [join(root, 'fifo')]);
  for (const d of ['', 'devices', 'devices/d1', 'handlers', 'handlers/vdisk_fileio', 'empty']) chmodSync(join(root, d), 0o755);
  for (const f of ['size', 'big', 'nul', 'empty']) chmodSync(join(root, 'devices/d1', f), 0o644);
  return [
    { path: '', type: 'dir', mode: 0o755 },
    { path: 'dangling', type: 'link', mode: 0o777, target: 'nowhere' },
    { path: 'devices', type: 'dir', mode: 0o755 },
    { path: 'devices/d1', type: 'dir', mode: 0o755 },
    { path: 'devices/d1/big', type: 'file', mode: 0o644, content: big.slice(0, 4096) },
    { path: 'devices/d1/empty', type: 'file', mode: 0o644, content: '' },
    { path: 'devices/d1/handler', type: 'link', mode: 0o777, target: '../../handlers/vdisk_fileio' },
    { path: 'devices/d1/nul', type: 'file', mode: 0o644, content: 'a\0b' },
    { path: 'devices/d1/ro', type: 'file', mode: 0o444, content: '1\n' },
    { path: 'devices/d1/size', type: 'file', mode: 0o644, content: '1048576\n[key]\n' },
    { path: 'empty', type: 'dir', mode: 0o755 },
    // no 'fifo': FIFOs are never opened
    { path: 'handlers', type: 'dir', mode: 0o755 },
    { path: 'handlers/vdisk_fileio', type: 'dir', mode: 0o755 },
    { path: 'handlers/vdisk_fileio/d1', type: 'link', mode: 0o777, target: '../../devices/d1' },
    // root reads a 0200 file on tmpfs (no DAC check for root); see the unprivileged case below
    { path: 'handlers/vdisk_fileio/mgmt', type: 'file', mode: 0o200, content: 'Usage: echo "add_device" >mgmt\n' },
    // root opens a 0700 directory; see the unprivileged case below
    { path: 'locked', type: 'dir', mode: 0o700 },
    { path: 'locked/secret', type: 'file', mode: 0o644, content: 's\n' },
  ];
}

const impls: Array<[string, SysfsHelper | undefined, string | undefined]> = [
  ['native', nativeHelper(), loadAddon().reason],
  ['fallback', fallbackHelper, undefined],
];

for (const [name, helper, reason] of impls) {
  describe(`sysfs helper (${name})`, { skip: helper ? false : `native addon unavailable: ${reason}` }, () => {
    const h = helper!;
    let root: string;
    let expected: TreeEntry[];
    before(() => {
      root = mkdtempSync(join(tmpdir(), 'sanform-native-'));
      expected = buildTree(root);
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    test('reports itself', () => assert.equal(h.implementation, name));

    test('readTree returns every dir, file content, link target and mode, pre-order by name', async () => {
      assert.deepEqual(await h.readTree(root), expected);
    });

    test('readTree of a subtree gives paths relative to it', async () => {
      const sub = await h.readTree(join(root, 'handlers'));
      assert.deepEqual(sub.map((e) => e.path), ['', 'vdisk_fileio', 'vdisk_fileio/d1', 'vdisk_fileio/mgmt']);
    });

    test('readTree of a file is that one entry', async () => {
      assert.deepEqual(await h.readTree(join(root, 'devices/d1/size')), [{ path: '', type: 'file', mode: 0o644, content: '1048576\n[key]\n' }]);
    });

    test('readTree of a missing root rejects with ENOENT', async () => {
      await assert.rejects(h.readTree(join(root, 'missing')), { code: 'ENOENT' });
    });

    test('readTree as an unprivileged user reports EACCES for 0200 files, not dropping them', { skip: process.getuid?.() !== 0 ? 'needs root to switch to nobody' : false }, () => {
      const child = fileURLToPath(new URL('./test/read-tree-child.ts', import.meta.url));
      const r = spawnSync(process.execPath, ['--import', 'tsx', child, name, root], { uid: 65534, gid: 65534, encoding: 'utf8', cwd: fileURLToPath(new URL('..', import.meta.url)), env: { ...process.env, HOME: '/tmp' } });
      assert.equal(r.status, 0, r.stderr);
      const entries = JSON.parse(r.stdout) as TreeEntry[];
      const mgmt = entries.find((e) => e.path === 'handlers/vdisk_fileio/mgmt');
      assert.deepEqual(mgmt, { path: 'handlers/vdisk_fileio/mgmt', type: 'file', mode: 0o200, error: 'EACCES' });
      assert.equal(entries.find((e) => e.path === 'devices/d1/size')?.content, '1048576\n[key]\n');
      // a directory it cannot open: its entry carries the errno, nothing under it is listed
      assert.deepEqual(entries.filter((e) => e.path.startsWith('locked')), [{ path: 'locked', type: 'dir', mode: 0o700, error: 'EACCES' }]);
    });

    test('readTree skip options: skipped dirs keep their entry, skipped files their mode, nothing else read', async () => {
      const opts = { skipDirs: ['/handlers/*', 'empty'], skipContent: ['size', '/devices/*/ro', '/ro'] };
      const got = await h.readTree(root, opts);
      const want = expected
        .filter((e) => !e.path.startsWith('handlers/vdisk_fileio/'))
        .map((e) => (e.path === 'devices/d1/size' || e.path === 'devices/d1/ro' ? { path: e.path, type: e.type, mode: e.mode } : e));
      assert.deepEqual(got, want);
      // a name pattern matches at any depth, an anchored one only where it says; links are never skipped
      const names = await h.readTree(root, { skipDirs: ['d1', '/vdisk_fileio'], skipContent: ['handler'] });
      assert.deepEqual(names.filter((e) => e.path.startsWith('devices/')).map((e) => e.path), ['devices/d1']);
      assert.ok(names.some((e) => e.path === 'handlers/vdisk_fileio/mgmt'));
      assert.deepEqual(await h.readTree(root, { skipDirs: [], skipContent: [] }), expected);
    });

    test('mgmt writes once at offset 0 without O_CREAT or O_TRUNC', async () => {
      const f = join(root, 'attr');
      writeFileSync(f, 'abcdefgh');
      await h.mgmt(f, 'XY');
      assert.equal(readFileSync(f, 'utf8'), 'XYcdefgh');
      await assert.rejects(h.mgmt(join(root, 'nope'), 'x'), { code: 'ENOENT', stage: 'open' });
      assert.throws(() => readFileSync(join(root, 'nope')), { code: 'ENOENT' });
    });

    test('mgmt rejects with the errno of the failed open', async () => {
      await assert.rejects(h.mgmt(join(root, 'devices'), 'x'), { code: 'EISDIR', stage: 'open' });
    });
  });
}

test('native and fallback agree on the same tree', { skip: nativeHelper() ? false : 'native addon not built' }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'sanform-native-'));
  try {
    buildTree(root);
    assert.deepEqual(await nativeHelper()!.readTree(root), await fallbackHelper.readTree(root));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('modes: false gives the same entries without permission bits', { skip: nativeHelper() ? false : 'native addon not built' }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'sanform-native-'));
  try {
    buildTree(root);
    const full = await nativeHelper()!.readTree(root, { skipContent: ['size'] });
    const bare = await nativeHelper()!.readTree(root, { skipContent: ['size'], modes: false });
    // the root's own entry keeps its mode (one fstat of the root, which readTree makes anyway)
    assert.deepEqual(bare.slice(1), full.slice(1).map(({ mode: _, ...e }) => e));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the parallel walk gives the same pre-order result with 1 and 4 threads as the fallback', { skip: nativeHelper() ? false : 'native addon not built' }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'sanform-native-'));
  const saved = process.env.SANFORM_READTREE_THREADS;
  try {
    for (let t = 0; t < 20; t++) {
      for (let l = 0; l < 15; l++) {
        mkdirSync(join(root, `t${t}/luns/${l}`), { recursive: true });
        writeFileSync(join(root, `t${t}/luns/${l}/read_only`), `${(t + l) % 2}\n`);
        symlinkSync(`../../../../devices/d${l}`, join(root, `t${t}/luns/${l}/device`));
      }
      writeFileSync(join(root, `t${t}/enabled`), '1\n');
    }
    const expected = await fallbackHelper.readTree(root);
    assert.equal(expected.length, 1 + 20 * (1 + 1 + 1 + 15 * 3));
    for (const threads of ['1', '4']) {
      process.env.SANFORM_READTREE_THREADS = threads;
      assert.deepEqual(await nativeHelper()!.readTree(root), expected, `${threads} threads`);
    }
  } finally {
    if (saved === undefined) delete process.env.SANFORM_READTREE_THREADS;
    else process.env.SANFORM_READTREE_THREADS = saved;
    rmSync(root, { recursive: true, force: true });
  }
});

test('activeImplementation names the helper in use', () => {
  const a = activeImplementation();
  assert.equal(a.implementation, process.env.SANFORM_NATIVE !== '0' && nativeHelper() ? 'native' : 'fallback');
});
