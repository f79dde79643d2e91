import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findMount, parseMountinfo, serverPid } from './mountinfo.js';

const TEXT = [
  '22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw',
  '42 27 0:39 / /tmp/a\\040b rw,nosuid,nodev,relatime - fuse.sanform sanform:1234 rw,user_id=0,group_id=0',
  '43 42 0:40 / /tmp/a\\040b rw - fuse.sanform sanform:99 rw',
  '',
].join('\n');

test('parseMountinfo unescapes paths and reads type, source and device', () => {
  const m = parseMountinfo(TEXT);
  assert.equal(m.length, 3);
  assert.deepEqual(m[1], { mountPoint: '/tmp/a b', device: '0:39', fsType: 'fuse.sanform', source: 'sanform:1234' });
});

test('findMount returns the topmost mount; serverPid reads sanform:<pid>', () => {
  const m = findMount('/tmp/a b', TEXT)!;
  assert.equal(m.device, '0:40');
  assert.equal(serverPid(m), 99);
  assert.equal(serverPid(findMount('/', TEXT)!), undefined);
  assert.equal(findMount('/nope', TEXT), undefined);
});
