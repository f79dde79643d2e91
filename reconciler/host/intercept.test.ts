import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isErrno } from '../core/errors.js';
import { interceptHost, WRITE_KINDS, type HostOp } from './intercept.js';
import { createLocalHost } from './local.js';
import type { Host } from './host.js';

const M = '/sys/kernel/scst_tgt/mgmt';

describe('interceptHost', () => {
  let dir: string;
  let host: Host;
  const content = () => readFileSync(join(dir, 'mgmt'), 'utf8');
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sanform-icpt-'));
    mkdirSync(join(dir, 'd'));
    writeFileSync(join(dir, 'mgmt'), '........');
    host = createLocalHost({ sysfsRoot: dir, helper: 'fallback' });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('records every operation with its outcome', async () => {
    const h = interceptHost(host);
    await h.sysfs.mgmt(M, 'a');
    await h.sysfs.read(M);
    await assert.rejects(h.sysfs.writeAttr('/sys/kernel/scst_tgt/nope', '1'));
    await h.exec(['true']);
    assert.deepEqual(h.log.map((o) => [o.seq, o.kind, o.outcome]), [[1, 'mgmt', 'ok'], [2, 'read', 'ok'], [3, 'writeAttr', 'ENOENT'], [4, 'exec', 'ok']]);
    assert.equal(h.count('mgmt'), 1);
    assert.equal(h.count(WRITE_KINDS), 3);
    h.clearLog();
    assert.equal(h.count(), 0);
  });

  test('fails the nth matching write, and only that one, without doing it', async () => {
    const h = interceptHost(host, { match: { kind: 'mgmt', nth: 2 }, fail: 'EBUSY' });
    await h.sysfs.mgmt(M, '1');
    await assert.rejects(h.sysfs.mgmt(M, '2'), (e) => isErrno(e, 'EBUSY'));
    assert.equal(content(), '1.......');
    await h.sysfs.mgmt(M, '3');
    assert.equal(content(), '3.......');
    assert.deepEqual(h.log.map((o) => o.injected), [undefined, 'fail', undefined]);
  });

  test('after: the operation takes effect, then the error is reported', async () => {
    const h = interceptHost(host, { match: { kind: 'mgmt', valueIncludes: 'X' }, fail: 'EIO', after: true });
    await assert.rejects(h.sysfs.mgmt(M, 'X'), (e) => isErrno(e, 'EIO'));
    assert.equal(content(), 'X.......');
  });

  test('a predicate and times; the first rule that hits wins', async () => {
    const seen: HostOp[] = [];
    const h = interceptHost(host, [
      { match: (op) => (seen.push(op), op.path.endsWith('/mgmt')), fail: 'EAGAIN', times: 2 },
      { match: { kind: 'mgmt' }, fail: 'EINVAL' },
    ]);
    await assert.rejects(h.sysfs.mgmt(M, 'a'), (e) => isErrno(e, 'EAGAIN'));
    await assert.rejects(h.sysfs.mgmt(M, 'b'), (e) => isErrno(e, 'EAGAIN'));
    await assert.rejects(h.sysfs.mgmt(M, 'c'), (e) => isErrno(e, 'EINVAL'));
    assert.equal(seen.length, 3);
  });

  test('delay, crash, and an injected exit code for exec', async () => {
    class Crash extends Error {}
    const h = interceptHost(host, [
      { match: { kind: 'read' }, delayMs: 60 },
      { match: { kind: 'mgmt' }, crash: () => { throw new Crash(); } },
      { match: { kind: 'exec', pathIncludes: 'drbdadm' }, exitCode: 10, stderr: 'parse error' },
    ]);
    const t0 = Date.now();
    await h.sysfs.read(M);
    assert.ok(Date.now() - t0 >= 55);
    await assert.rejects(h.sysfs.mgmt(M, 'z'), Crash);
    assert.equal(content(), '........');
    assert.deepEqual(await h.exec(['drbdadm', 'adjust', 'r0']), { exitCode: 10, stdout: '', stderr: 'parse error' });
    assert.equal((await h.exec(['true'])).exitCode, 0);
    assert.deepEqual(h.log.map((o) => o.injected), ['delay', 'crash', 'exit', undefined]);
  });
});
