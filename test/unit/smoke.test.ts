import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrnoError, isErrno } from '../../reconciler/core/errors.js';
test('ErrnoError carries its errno as code data', () => {
  const e = new ErrnoError('EINVAL', { path: '/x' });
  assert.equal(e.code, 'ERRNO');
  assert.ok(isErrno(e, 'EINVAL'));
  assert.ok(!isErrno(e, 'EEXIST'));
});
