import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { holdFileLock } from './file-lock.js';

describe('conf_sync-style file lock', () => {
  it('excludes a second holder until released; a missing flock is FILE_LOCK_FAILED', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sanform-lock-'));
    try {
      const lock = join(dir, 'conf_sync');
      const release = await holdFileLock(lock);
      await assert.rejects(holdFileLock(lock, { timeoutS: 0.2 }), { code: 'FILE_LOCK_TIMEOUT' });
      await release();
      const again = await holdFileLock(lock, { timeoutS: 1 });
      await again();
      await assert.rejects(holdFileLock(lock, { flock: '/nonexistent/flock' }), { code: 'FILE_LOCK_FAILED' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
