import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { SanformModel } from '../../schema/model.js';
import { addressKind, isAddressPattern, providedDevices } from './index.js';
import { formatPath } from './sources.js';
import { closest } from './suggest.js';
import { parseSetupId, parseSize } from './units.js';

test('address grammar: every documented form, and malformed ones', () => {
  const ok: [string, string][] = [
    ['scst/core', 'scst.core'],
    ['scst/device/vm_store', 'scst.device'],
    ['scst/device/2:0:0:0', 'scst.device'],
    ['scst/driver/iscsi', 'scst.driver'],
    ['scst/driver/iscsi/enabled', 'scst.driver.enabled'],
    ['scst/driver/iscsi/incoming-user/joe', 'scst.driver.incoming-user'],
    ['scst/driver/iscsi/outgoing-user', 'scst.driver.outgoing-user'],
    ['scst/target/iscsi/iqn.2026-01.com.example:vm', 'scst.target'],
    ['scst/target/iscsi/iqn.2026-01.com.example:vm/enabled', 'scst.target.enabled'],
    ['scst/target/qla2x00t/21:00:00:24:ff:00:00:01/lun/0', 'scst.lun'],
    ['scst/target/iscsi/t/group/esx', 'scst.group'],
    ['scst/target/iscsi/t/group/esx/lun/16383', 'scst.lun'],
    ['scst/target/iscsi/t/initiator/iqn.1998-01.com.vmware:esx1', 'scst.initiator'],
    ['scst/target/iscsi/t/incoming-user/esx', 'scst.target.incoming-user'],
    ['scst/target/iscsi/t/outgoing-user', 'scst.target.outgoing-user'],
    ['scst/target/iscsi/t/allowed-portal/10.0.1.*', 'scst.allowed-portal'],
    ['scst/alua/dg', 'scst.alua.dg'],
    ['scst/alua/dg/device/d1', 'scst.alua.device'],
    ['scst/alua/dg/tg/tg1', 'scst.alua.tg'],
    ['scst/alua/dg/tg/tg1/target/t', 'scst.alua.target'],
    ['md/array/md0', 'md.array'],
    ['lvm/vg/vg0', 'lvm.vg'],
    ['lvm/lv/vg0/vm', 'lvm.lv'],
    ['drbd/resource/r0', 'drbd.resource'],
    ['bcache/bcache0', 'bcache'],
    ['btier/sdtiera', 'btier'],
  ];
  for (const [a, kind] of ok) assert.equal(addressKind(a), kind, a);
  for (const bad of ['', 'scst', 'scst/device', 'scst/device/a/b', 'scst/target/nodrv/t', 'scst/target/iscsi/t/lun/16384', 'scst/target/iscsi/t/lun/01',
    'scst/driver/iscsi/bogus', 'lvm/lv/vg0', 'drbd/r0', 'zfs/pool/x', 'scst//core', 'scst/device/a b', 'scst/alua/dg/tg']) {
    assert.equal(addressKind(bad), undefined, bad);
  }
  assert.ok(isAddressPattern('scst/target/iscsi/*'));
  assert.ok(isAddressPattern('scst/device/x'));
  assert.ok(!isAddressPattern('nothing/*'));
});

test('providedDevices maps every layer form to its address, per node', () => {
  const model: SanformModel = {
    version: 1,
    storage: {
      md: { md0: { level: 'raid1', devices: ['/dev/sdb', '/dev/sdc'] }, data: { level: 'raid1', devices: ['/dev/sdd'], node: 'b' } },
      lvm: { 'vg-x': { pvs: ['/dev/md0'], lvs: { 'lv-1': { size: '1G' } } } },
      drbd: { r0: { volumes: { 0: { device: '/dev/drbd0', disk: '/dev/vg-x/lv-1' } }, nodes: { a: { address: '1.1.1.1:7789' } } } },
      bcache: { bcache0: { backing: '/dev/drbd0' } },
      btier: { sdtiera: { devices: ['/dev/sde'] } },
    },
  };
  assert.deepEqual(Object.fromEntries(providedDevices(model)), {
    '/dev/md0': 'md/array/md0',
    '/dev/md/md0': 'md/array/md0',
    '/dev/md/data': 'md/array/data',
    '/dev/vg-x/lv-1': 'lvm/lv/vg-x/lv-1',
    '/dev/mapper/vg--x-lv--1': 'lvm/lv/vg-x/lv-1',
    '/dev/drbd0': 'drbd/resource/r0',
    '/dev/drbd/by-res/r0/0': 'drbd/resource/r0',
    '/dev/bcache0': 'bcache/bcache0',
    '/dev/sdtiera': 'btier/sdtiera',
  });
  const onA = providedDevices(model, 'a');
  assert.ok(!onA.has('/dev/md/data'));
  assert.ok(onA.has('/dev/drbd0'));
  assert.ok(!providedDevices(model, 'b').has('/dev/drbd0'));
});

test('sizes use powers of 1024; setup ids accept hex', () => {
  assert.equal(parseSize('10G'), 10 * 1024 ** 3);
  assert.equal(parseSize('1.5k'), 1536);
  assert.equal(parseSize('2T'), 2 * 1024 ** 4);
  assert.equal(parseSize(4096), 4096);
  assert.equal(parseSize('0.3'), undefined);
  assert.equal(parseSize('10X'), undefined);
  assert.equal(parseSetupId('0x5a01'), 0x5a01);
  assert.equal(parseSetupId(7), 7);
  assert.equal(parseSetupId('5a01'), undefined);
});

test('formatPath quotes keys with dots and indexes lists', () => {
  assert.equal(formatPath(['scst', 'targets', 'iscsi', 'iqn.2026-01.x:y', 'luns', '0']), 'scst.targets.iscsi["iqn.2026-01.x:y"].luns.0');
  assert.equal(formatPath(['alerts', 1, 'url']), 'alerts[1].url');
  assert.equal(formatPath([]), '');
});

test('closest suggests likely typos only', () => {
  assert.equal(closest('handlr', ['handler', 'filename']), 'handler');
  assert.equal(closest('readonly', ['readOnly', 'rotational']), 'readOnly');
  assert.equal(closest('zzzz', ['handler', 'filename']), undefined);
  fc.assert(fc.property(fc.string(), fc.array(fc.string()), (w, cs) => {
    const c = closest(w, cs);
    return c === undefined || cs.includes(c);
  }));
});
