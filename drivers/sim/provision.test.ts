import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SanformModel } from '../../schema/model.js';
import { liveProbe } from '../scst/emulator/backing.js';
import { defaultHardware } from './hardware.js';
import { BACKING_IMAGE_BYTES, provisionFiles } from './provision.js';

test('provisionFiles: secret files (0600) and fileio images inside DIR/files; existing ones kept; env and relative secrets listed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-provision-'));
  try {
    mkdirSync(join(dir, 'files', 'etc', 'keep'), { recursive: true });
    writeFileSync(join(dir, 'files', 'etc', 'keep', 'old'), 'already-here-1\n');
    const model = {
      version: 1,
      secrets: { a: { file: '/etc/s/a' }, old: { file: '/etc/keep/old' }, e: { env: 'SOME_VAR' }, r: { file: 'rel/x' } },
      scst: {
        devices: {
          f: { handler: 'vdisk_fileio', filename: '/srv/x/f.img' },
          b: { handler: 'vdisk_blockio', filename: '/dev/sdb' },
          n: { handler: 'vdisk_nullio' },
        },
      },
    } as unknown as SanformModel;
    const p = provisionFiles(dir, model);
    assert.deepEqual(p.created, [{ path: '/etc/s/a', what: 'secret' }, { path: '/srv/x/f.img', what: 'backing-file' }]);
    assert.deepEqual(p.kept, ['/etc/keep/old']);
    assert.deepEqual(p.env, [{ secret: 'e', variable: 'SOME_VAR' }]);
    assert.deepEqual(p.relative, [{ secret: 'r', file: 'rel/x' }]);
    const secret = join(dir, 'files', 'etc', 's', 'a');
    assert.equal(statSync(secret).mode & 0o777, 0o600);
    assert.match(readFileSync(secret, 'utf8'), /^[A-Za-z0-9_-]{16}\n$/);
    assert.equal(readFileSync(join(dir, 'files', 'etc', 'keep', 'old'), 'utf8'), 'already-here-1\n');
    // the emulated vdisk_fileio opens the machine's own file, not /srv/x/f.img of this machine
    const probe = liveProbe(defaultHardware(), { filesRoot: join(dir, 'files') });
    assert.deepEqual(probe('/srv/x/f.img'), { kind: 'file', size: BACKING_IMAGE_BYTES });
    assert.equal(liveProbe(defaultHardware())('/srv/x/f.img').kind, 'missing');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
