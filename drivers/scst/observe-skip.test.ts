/**
 * OBSERVE_SKIP leaves parts of the tree unread; these tests check that observing gives the same
 * resources with and without it (emulator walk, and real files through both sysfs helpers), and
 * that the Tree index answers the same whatever order a host returns the entries in.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { TreeEntry } from '../../reconciler/host/host.js';
import { SCST_ROOT } from '../../reconciler/host/host.js';
import { createLocalHost } from '../../reconciler/host/local.js';
import { buildLive } from '../../test/golden/harness.js';
import { materialize } from '../sim/materialize.js';
import { OBSERVE_SKIP, observeTree } from './observe.js';
import { emuHost } from './testing/emu-host.js';
import { Tree } from './tree.js';

const goldenDir = fileURLToPath(new URL('../../test/golden/', import.meta.url));
const cases = (await readdir(goldenDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const live = async (name: string) => buildLive(await readFile(join(goldenDir, name, 'live.txt'), 'utf8'));

test('observe with OBSERVE_SKIP gives the same resources as a full read (every golden live state)', async () => {
  let skipped = 0;
  for (const name of cases) {
    const emu = await live(name);
    const full = emu.walk('');
    const part = emu.walk('', OBSERVE_SKIP);
    skipped += full.length - part.length + part.filter((e) => e.type === 'file' && e.content === undefined && !e.error).length;
    assert.deepEqual(observeTree(new Tree(part)), observeTree(new Tree(full)), name);
  }
  assert.ok(skipped > 0, 'the options left something unread');
});

test('observe through LocalHost on real files: same resources with and without OBSERVE_SKIP, native and fallback', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sanform-observe-skip-'));
  try {
    for (const name of ['05-lun-removed-with-session', '10-alua-state-change']) {
      const tree = join(dir, name);
      await materialize(emuHost(await live(name)), tree);
      for (const helper of ['native', 'fallback'] as const) {
        const host = createLocalHost({ sysfsRoot: tree, stateDir: join(dir, 'state'), helper });
        const full = await host.sysfs.readTree(SCST_ROOT);
        const part = await host.sysfs.readTree(SCST_ROOT, OBSERVE_SKIP);
        assert.ok(part.length < full.length, `${name} ${helper}: something skipped`);
        assert.deepEqual(observeTree(new Tree(part)), observeTree(new Tree(full)), `${name} ${helper}`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('Tree answers the same for entries in any order (pre-order or not, sorted or not)', async () => {
  const entries = (await live('09-initiator-moved-between-groups')).walk('');
  // a deterministic shuffle, and the reverse order: parents after their children
  const shuffled = entries.map((e, i) => ({ e, k: (i * 7919) % 104729 })).sort((a, b) => a.k - b.k).map((x) => x.e);
  const reversed = [...entries].reverse();
  const a = new Tree(entries);
  for (const other of [new Tree(shuffled), new Tree(reversed)]) {
    assert.deepEqual(observeTree(other), observeTree(a));
    for (const e of entries) {
      assert.equal(other.get(e.path), e, e.path);
      if (e.type === 'dir') assert.deepEqual(other.children(e.path), a.children(e.path), e.path);
    }
  }
  const dirs = entries.filter((e: TreeEntry) => e.type === 'dir');
  for (const d of dirs) {
    const names = entries.filter((e) => e.path !== '' && e.path.slice(0, Math.max(0, e.path.lastIndexOf('/'))) === d.path).map((e) => e.path.slice(d.path ? d.path.length + 1 : 0));
    assert.deepEqual(a.children(d.path), [...names].sort(), d.path);
  }
  assert.equal(a.get('no/such/path'), undefined);
  assert.deepEqual(a.children('no/such/dir'), []);
});
