import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isErrno } from '../core/errors.js';
import { createLocalHost, DEFAULT_STATE_DIR, makePathMapper } from './local.js';

describe('LocalHost path mapping', () => {
  test('maps the SCST root and prefixes the rest', () => {
    const map = makePathMapper({ sysfsRoot: '/mnt/scst', root: '/tmp/r' });
    assert.equal(map('/sys/kernel/scst_tgt'), '/mnt/scst');
    assert.equal(map('/sys/kernel/scst_tgt/handlers/vdisk_fileio/mgmt'), '/mnt/scst/handlers/vdisk_fileio/mgmt');
    assert.equal(map('/sys/kernel/scst_tgtx'), '/tmp/r/sys/kernel/scst_tgtx');
    assert.equal(map('/etc/drbd.d/r0.res'), '/tmp/r/etc/drbd.d/r0.res');
    assert.equal(makePathMapper({})('/sys/kernel/scst_tgt/version'), '/sys/kernel/scst_tgt/version');
  });
  test('refuses relative paths and ..', () => {
    const map = makePathMapper({ sysfsRoot: '/mnt/scst' });
    assert.throws(() => map('sys/kernel'), (e) => isErrno(e, 'EINVAL'));
    assert.throws(() => map('/sys/kernel/scst_tgt/../../../etc/passwd'), (e) => isErrno(e, 'EINVAL'));
  });
});

for (const impl of ['native', 'fallback'] as const) {
  describe(`LocalHost sysfs over a directory (${impl} helper)`, () => {
    let dir: string;
    let host: ReturnType<typeof createLocalHost>;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'sanform-local-'));
      mkdirSync(join(dir, 'devices/d1'), { recursive: true });
      mkdirSync(join(dir, 'handlers/vdisk_fileio'), { recursive: true });
      writeFileSync(join(dir, 'devices/d1/blocksize'), '4096\n[key]\n');
      writeFileSync(join(dir, 'handlers/vdisk_fileio/mgmt'), 'help\n');
      symlinkSync('../../handlers/vdisk_fileio', join(dir, 'devices/d1/handler'));
      host = createLocalHost({ sysfsRoot: dir, helper: impl, stateDir: join(dir, 'state') });
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('read, list, readlink, exists', async () => {
      assert.equal(await host.sysfs.read('/sys/kernel/scst_tgt/devices/d1/blocksize'), '4096\n[key]\n');
      assert.deepEqual(await host.sysfs.list('/sys/kernel/scst_tgt/devices/d1'), ['blocksize', 'handler']);
      assert.equal(await host.sysfs.readlink('/sys/kernel/scst_tgt/devices/d1/handler'), '../../handlers/vdisk_fileio');
      assert.equal(await host.sysfs.exists('/sys/kernel/scst_tgt/devices/d1'), true);
      assert.equal(await host.sysfs.exists('/sys/kernel/scst_tgt/devices/d2'), false);
    });

    test('failures are ErrnoErrors with the errno', async () => {
      await assert.rejects(host.sysfs.read('/sys/kernel/scst_tgt/devices/d2/size'), (e) => isErrno(e, 'ENOENT'));
      await assert.rejects(host.sysfs.readTree('/sys/kernel/scst_tgt/nothing'), (e) => isErrno(e, 'ENOENT'));
      await assert.rejects(host.sysfs.mgmt('/sys/kernel/scst_tgt/devices/d1', 'x'), (e) => isErrno(e, 'EISDIR'));
      await assert.rejects(host.sysfs.writeAttr('/sys/kernel/scst_tgt/devices/d1/missing', '1'), (e) => isErrno(e, 'ENOENT'));
    });

    test('readTree goes through the helper with paths relative to the root', async () => {
      const t = await host.sysfs.readTree('/sys/kernel/scst_tgt/devices');
      assert.deepEqual(t.map((e) => [e.path, e.type]), [['', 'dir'], ['d1', 'dir'], ['d1/blocksize', 'file'], ['d1/handler', 'link']]);
    });

    test('mgmt writes the command in place', async () => {
      await host.sysfs.mgmt('/sys/kernel/scst_tgt/handlers/vdisk_fileio/mgmt', 'add');
      assert.equal(readFileSync(join(dir, 'handlers/vdisk_fileio/mgmt'), 'utf8'), 'addp\n');
    });
  });
}

describe('LocalHost exec', () => {
  const host = createLocalHost();
  test('passes input on stdin and returns output and exit code', async () => {
    assert.deepEqual(await host.exec(['cat'], { input: 'secret\n' }), { exitCode: 0, stdout: 'secret\n', stderr: '' });
    assert.equal((await host.exec(['false'])).exitCode, 1);
    const r = await host.exec(['sh', '-c', 'echo "$X" >&2; exit 3'], { env: { X: 'y' } });
    assert.deepEqual([r.exitCode, r.stderr], [3, 'y\n']);
  });
  test('never uses a shell: metacharacters reach the program verbatim', async () => {
    assert.equal((await host.exec(['echo', '$(id) ; *'])).stdout, '$(id) ; *\n');
  });
  test('a signal gives 128 + signo; a missing program and a timeout reject with errno codes', async () => {
    assert.equal((await host.exec(['sh', '-c', 'kill -TERM $$'])).exitCode, 143);
    await assert.rejects(host.exec(['/nonexistent/prog']), (e) => isErrno(e, 'ENOENT'));
    await assert.rejects(host.exec(['sleep', '5'], { timeoutMs: 100 }), (e) => isErrno(e, 'ETIMEDOUT'));
  });
});

describe('LocalHost files and identity', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'sanform-files-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('writeAtomic creates parents, sets the mode, leaves no temp file; read of a missing file is undefined', async () => {
    const host = createLocalHost({ root: dir });
    await host.files.writeAtomic('/etc/drbd.d/r0.res', 'resource r0 {}\n', 0o600);
    assert.equal(readFileSync(join(dir, 'etc/drbd.d/r0.res'), 'utf8'), 'resource r0 {}\n');
    assert.equal(statSync(join(dir, 'etc/drbd.d/r0.res')).mode & 0o777, 0o600);
    await host.files.writeAtomic('/etc/drbd.d/r0.res', 'v2\n');
    assert.equal(await host.files.read('/etc/drbd.d/r0.res'), 'v2\n');
    assert.deepEqual(readdirSync(join(dir, 'etc/drbd.d')), ['r0.res']);
    assert.equal(await host.files.read('/etc/none'), undefined);
  });

  test('defaults: id, stateDir, hostname', async () => {
    const host = createLocalHost();
    assert.equal(host.id, 'local');
    assert.equal(host.stateDir, DEFAULT_STATE_DIR);
    assert.equal(await host.hostname(), hostname());
  });
});
