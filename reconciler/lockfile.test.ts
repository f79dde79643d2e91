import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { liveHolder, processStart, readHolder, tryLock } from './lockfile.js';

function inDir(fn: (dir: string) => void): () => void {
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'sanform-lockfile-'));
    try {
      fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const deadPid = (): number => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());

test('a taken lock is complete from the start and names this process; release removes it', inDir((dir) => {
  const file = join(dir, 'lock');
  const t = tryLock(file);
  assert.ok(t.taken);
  const h = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; start?: number };
  assert.equal(h.pid, process.pid);
  assert.equal(h.start, processStart(process.pid));
  assert.deepEqual(readdirSync(dir), ['lock'], 'no temp file left behind');
  const again = tryLock(file);
  assert.equal(again.taken, false, 'a live holder keeps it');
  t.release();
  assert.equal(existsSync(file), false);
}));

for (const [what, text] of [
  ['empty (killed between create and write)', ''],
  ['torn JSON', '{"pid":12'],
  ['a dead pid', () => JSON.stringify({ pid: deadPid() })],
  ['a reused pid (alive, started at another time)', () => JSON.stringify({ pid: process.ppid, start: -1 })],
  ['a plain dead pid (older emulator locks)', () => String(deadPid())],
] as const) {
  test(`a stale lock is broken at once: ${what}`, inDir((dir) => {
    const file = join(dir, 'lock');
    writeFileSync(file, typeof text === 'function' ? text() : text);
    assert.equal(liveHolder(file), undefined);
    const t = tryLock(file);
    assert.ok(t.taken, 'taken over');
    assert.equal(readHolder(file)?.pid, process.pid);
    t.release();
  }));
}

test('a temp file left by a process killed before linking it is swept when a stale lock is broken', inDir((dir) => {
  const file = join(dir, 'lock');
  const dead = deadPid();
  writeFileSync(`${file}.${dead}.0.tmp`, JSON.stringify({ pid: dead }));
  writeFileSync(file, '');
  const t = tryLock(file);
  assert.ok(t.taken);
  assert.deepEqual(readdirSync(dir), ['lock']);
  t.release();
}));

test('a release does not remove a lock someone else took after ours was broken', inDir((dir) => {
  const file = join(dir, 'lock');
  const t = tryLock(file);
  assert.ok(t.taken);
  rmSync(file);
  writeFileSync(file, JSON.stringify({ pid: process.ppid }));
  t.release();
  assert.equal(readHolder(file)?.pid, process.ppid);
}));
