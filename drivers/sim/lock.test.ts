import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimLockTimeoutError, withLock } from './lock.js';

test('withLock breaks a lock left by a dead process and releases its own', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-lock-'));
  try {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const lock = join(dir, 'lock');
    writeFileSync(lock, dead);
    assert.equal(withLock(lock, () => 42), 42);
    assert.equal(existsSync(lock), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('withLock waits for a live holder and gives up with SIM_LOCK_TIMEOUT', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-lock-'));
  try {
    const lock = join(dir, 'lock');
    writeFileSync(lock, String(process.ppid));
    assert.throws(() => withLock(lock, () => 1, 50), (e) => e instanceof SimLockTimeoutError && e.code === 'SIM_LOCK_TIMEOUT');
    assert.equal(existsSync(lock), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an empty lock (a kill between create and pid write) is broken at once, not waited on', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-lock-'));
  try {
    const lock = join(dir, 'lock');
    writeFileSync(lock, '');
    // a timeout of 0: any wait would throw SIM_LOCK_TIMEOUT
    assert.equal(withLock(lock, () => 7, 0), 7);
    assert.equal(existsSync(lock), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
