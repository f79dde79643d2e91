import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { crc32cRaw, defaultT10DevId, defaultUsn } from '../crc32c.js';
import { lexems, nextLexem, parseParams } from './lexer.js';
import { patternMatches } from './groups.js';
import { ScstEmulator } from './emulator.js';
import { isErrno } from '../../../reconciler/core/errors.js';

test('raw CRC32C matches the SCST README check value and the standard CRC32C check', () => {
  assert.equal(defaultUsn('disk01', 0), '27cddc71');
  assert.equal(defaultT10DevId('a-very-long-device-name-x', 0x5a01).length, 25);
  // standard CRC32C("123456789") = 0xe3069283 uses init ~0 and final xor; undo both to check the table
  const std = (crc32cRaw(Buffer.from('123456789'), 0xffffffff) ^ 0xffffffff) >>> 0;
  assert.equal(std, 0xe3069283);
});

test('lexer: = and whitespace are one separator class; tokens split on ; and newline', () => {
  assert.deepEqual(lexems(' add_device  d1\tfilename=/x '), ['add_device', 'd1', 'filename', '/x']);
  assert.deepEqual(parseParams('A=1;b 2\nc = 3;;d=4'), [
    { name: 'a', value: '1' },
    { name: 'b', value: '2' },
    { name: 'c', value: '3' },
  ]);
  assert.throws(() => parseParams('a'), (e) => isErrno(e, 'EINVAL'));
});

test('lexer: only a zero-length token ends the list; a blank one is EINVAL unless lenient', () => {
  assert.throws(() => parseParams('a=1; ;b=2'), (e) => isErrno(e, 'EINVAL'));
  assert.throws(() => parseParams('='), (e) => isErrno(e, 'EINVAL'));
  assert.deepEqual(parseParams('a=1; ;b=2', 'lenient'), [{ name: 'a', value: '1' }]);
  assert.deepEqual(parseParams('s=x y', 'lenient'), [{ name: 's', value: 'x' }]);
  assert.deepEqual(nextLexem('add_device d  ;a=1'), ['add_device', 'd  ;a=1']);
  assert.deepEqual(nextLexem('d  ;a=1'), ['d', ' ;a=1']);
  assert.deepEqual(nextLexem('d'), ['d', '']);
  assert.deepEqual(nextLexem('  '), ['', '']);
});

test('property: parseParams round-trips any list of simple name=value pairs', () => {
  const word = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/);
  fc.assert(
    fc.property(fc.array(fc.tuple(word, word), { maxLength: 6 }), (pairs) => {
      const s = pairs.map(([n, v]) => `${n}=${v}`).join('; ');
      assert.deepEqual(parseParams(s), pairs.map(([name, value]) => ({ name, value })));
    }),
  );
});

test('initiator patterns: * ? and leading !', () => {
  assert.ok(patternMatches('iqn.*:host?', 'iqn.1994-05.com.redhat:host1'));
  assert.ok(!patternMatches('iqn.*:host?', 'iqn.1994-05.com.redhat:host10'));
  assert.ok(patternMatches('!iqn.*', 'eui.1234'));
  assert.ok(!patternMatches('21:00:*', '21.00.00'));
});

test('emulator: walk returns contents, link targets and errors; state survives toJSON', () => {
  const e = new ScstEmulator();
  e.write('handlers/vdisk_blockio/mgmt', 'add_device disk01 filename=/dev/sdb');
  const tree = e.walk('devices/disk01');
  assert.equal(tree.find((x) => x.path === 'handler')?.target, '../../handlers/vdisk_blockio');
  assert.equal(tree.find((x) => x.path === 'sync')?.error, 'EACCES');
  assert.equal(tree.find((x) => x.path === 'usn')?.content, '27cddc71\n');
  const copy = ScstEmulator.fromJSON(JSON.parse(JSON.stringify(e.toJSON())));
  assert.equal(copy.read('devices/disk01/filename'), '/dev/sdb\n[key]\n\n');
  assert.equal(e.stat('devices/disk01/sync').mode, 0o200);
  assert.equal(e.stat('devices/disk01/handler').type, 'link');
  assert.throws(() => e.truncate('version'), (x) => isErrno(x, 'EACCES'));
  e.truncate('setup_id');
});

test('a device, target or group named mgmt collides with the mgmt file of its directory (EEXIST); lengths count bytes', () => {
  const e = new ScstEmulator();
  const errno = (f: () => void): string | undefined => {
    try {
      f();
      return undefined;
    } catch (x) {
      return isErrno(x) ? x.errno : 'not an errno';
    }
  };
  assert.equal(errno(() => e.write('handlers/vdisk_nullio/mgmt', 'add_device mgmt')), 'EEXIST');
  assert.equal(errno(() => e.write('targets/scst_local/mgmt', 'add_target mgmt')), 'EEXIST');
  assert.equal(errno(() => e.write('targets/scst_local/mgmt', 'add_target t1')), undefined);
  assert.equal(errno(() => e.write('targets/scst_local/t1/ini_groups/mgmt', 'create mgmt')), 'EEXIST');
  assert.deepEqual(e.readdir('targets/scst_local/t1/ini_groups'), ['mgmt']);
  // 40 two-byte characters: 80 bytes, over the 64 a device name may have
  assert.equal(errno(() => e.write('handlers/vdisk_nullio/mgmt', `add_device ${'é'.repeat(40)}`)), 'EINVAL');
  assert.equal(errno(() => e.write('handlers/vdisk_nullio/mgmt', 'add_device d0')), undefined);
  assert.equal(errno(() => e.write('devices/d0/prod_id', 'éééééééé\n')), undefined);
  assert.equal(errno(() => e.write('devices/d0/prod_id', 'ééééééééé\n')), 'EINVAL');
  // strip() is ASCII whitespace only: a no-break space stays
  e.write('devices/d0/prod_id', 'a\u00a0\n');
  assert.equal(e.read('devices/d0/prod_id').split('\n')[0], 'a\u00a0');
});
