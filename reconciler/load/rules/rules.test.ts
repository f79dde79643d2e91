// One test per rule: a small document that breaks exactly that rule, and the fixed variant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDesiredTexts } from '../index.js';

const run = (text: string) => loadDesiredTexts([{ file: 't.yaml', text }]);
/** [code, path, severity] of every finding. */
const found = (text: string) => run(text).diagnostics.map((d) => [d.code, d.path, d.severity]);

interface Case {
  name: string;
  bad: string;
  good: string;
  expect: [string, string][];
}

const head = 'version: 1\n';
const cases: Case[] = [
  {
    name: 'LUN names an undeclared device',
    bad: `${head}scst:\n  devices: { d1: { handler: vdisk_nullio } }\n  targets: { iscsi: { "iqn.2026-01.com.example:t": { luns: { 0: d1, 1: { device: d2 } } } } }\n`,
    good: `${head}scst:\n  devices: { d1: { handler: vdisk_nullio }, d2: { handler: vdisk_nullio } }\n  targets: { iscsi: { "iqn.2026-01.com.example:t": { luns: { 0: d1, 1: { device: d2 } } } } }\n`,
    expect: [['UNKNOWN_DEVICE', 'scst.targets.iscsi["iqn.2026-01.com.example:t"].luns.1.device']],
  },
  {
    name: 'group LUN names an undeclared device',
    bad: `${head}scst:\n  targets: { scst_local: { l1: { groups: { g: { luns: { 0: ghost } } } } } }\n`,
    good: `${head}scst:\n  devices: { ghost: { handler: vdisk_nullio } }\n  targets: { scst_local: { l1: { groups: { g: { luns: { 0: ghost } } } } } }\n`,
    expect: [['UNKNOWN_DEVICE', 'scst.targets.scst_local.l1.groups.g.luns.0']],
  },
  {
    name: 'an initiator in two groups of one target',
    bad: `${head}scst:\n  targets: { scst_local: { l1: { groups: { a: { initiators: [h1, h2] }, b: { initiators: [h2] } } } } }\n`,
    good: `${head}scst:\n  targets: { scst_local: { l1: { groups: { a: { initiators: [h1] }, b: { initiators: [h2] } } } } }\n`,
    expect: [['INITIATOR_TWICE', 'scst.targets.scst_local.l1.groups.b.initiators[0]']],
  },
  {
    name: 'ALUA device undeclared and in two device groups',
    bad: `${head}scst:\n  devices: { d1: { handler: vdisk_nullio } }\n  targets: { scst_local: { l1: {} } }\n  alua:\n    deviceGroups:\n      a: { devices: [d1, nodev], targetGroups: { t: { groupId: 1, targets: [l1] } } }\n      b: { devices: [d1], targetGroups: {} }\n`,
    good: `${head}scst:\n  devices: { d1: { handler: vdisk_nullio } }\n  targets: { scst_local: { l1: {} } }\n  alua:\n    deviceGroups:\n      a: { devices: [d1], targetGroups: { t: { groupId: 1, targets: [l1] } } }\n`,
    expect: [['UNKNOWN_DEVICE', 'scst.alua.deviceGroups.a.devices[1]'], ['ALUA_DEVICE_TWICE', 'scst.alua.deviceGroups.b.devices[0]']],
  },
  {
    name: 'ALUA target in two target groups of one device group, and a repeated groupId',
    bad: `${head}scst:\n  targets: { scst_local: { l1: {} } }\n  alua: { deviceGroups: { a: { devices: [], targetGroups: { x: { groupId: 1, targets: [l1] }, y: { groupId: 1, targets: [l1] } } } } }\n`,
    good: `${head}scst:\n  targets: { scst_local: { l1: {} } }\n  alua: { deviceGroups: { a: { devices: [], targetGroups: { x: { groupId: 1, targets: [l1] }, y: { groupId: 2, targets: [] } } } } }\n`,
    expect: [['ALUA_TARGET_TWICE', 'scst.alua.deviceGroups.a.targetGroups.y.groupId'], ['ALUA_TARGET_TWICE', 'scst.alua.deviceGroups.a.targetGroups.y.targets[0]']],
  },
  {
    name: 'CHAP secret not declared, user twice',
    bad: `${head}secrets: { s1: { file: /etc/s1 } }\nscst:\n  targets: { iscsi: { "iqn.2026-01.com.example:t": { auth: { incoming: [{ user: u, secret: s1 }, { user: u, secret: s2 }] } } } }\n`,
    good: `${head}secrets: { s1: { file: /etc/s1 }, s2: { env: S2 } }\nscst:\n  targets: { iscsi: { "iqn.2026-01.com.example:t": { auth: { incoming: [{ user: u, secret: s1 }, { user: v, secret: s2 }] } } } }\n`,
    expect: [['UNKNOWN_SECRET', 'scst.targets.iscsi["iqn.2026-01.com.example:t"].auth.incoming[1].secret'], ['CHAP_USER_TWICE', 'scst.targets.iscsi["iqn.2026-01.com.example:t"].auth.incoming[1].user']],
  },
  {
    name: 'discovery CHAP secret not declared',
    bad: `${head}scst: { drivers: { iscsi: { auth: { outgoing: { user: u, secret: nope } } } } }\n`,
    good: `${head}secrets: { nope: { env: NOPE } }\nscst: { drivers: { iscsi: { auth: { outgoing: { user: u, secret: nope } } } } }\n`,
    expect: [['UNKNOWN_SECRET', 'scst.drivers.iscsi.auth.outgoing.secret']],
  },
  {
    name: 'secret with an inline value',
    bad: `${head}secrets: { s1: { value: hunter2hunter2 } }\n`,
    good: `${head}secrets: { s1: { env: S1 } }\n`,
    expect: [['SECRET_VALUE_INLINE', 'secrets.s1.value']],
  },
  {
    name: 'node references: node:, perNode, DRBD sections, ALUA target group',
    bad: `${head}nodes: { esos-a: {} }\nstorage: { drbd: { r0: { volumes: { 0: { device: /dev/drbd0, disk: /dev/sdb } }, nodes: { esos-c: { address: "10.0.0.3:7789" } } } } }\nscst:\n  devices: { d1: { handler: vdisk_nullio, node: esos-b, perNode: { esos-z: { rotational: false } } } }\n  alua: { deviceGroups: { a: { devices: [d1], targetGroups: { t: { groupId: 1, node: esos-q, targets: [] } } } } }\n`,
    good: `${head}nodes: { esos-a: {} }\nstorage: { drbd: { r0: { volumes: { 0: { device: /dev/drbd0, disk: /dev/sdb } }, nodes: { esos-a: { address: "10.0.0.3:7789" } } } } }\nscst:\n  devices: { d1: { handler: vdisk_nullio, node: esos-a, perNode: { esos-a: { rotational: false } } } }\n  alua: { deviceGroups: { a: { devices: [d1], targetGroups: { t: { groupId: 1, node: esos-a, targets: [] } } } } }\n`,
    expect: [
      ['UNKNOWN_NODE', 'storage.drbd.r0.nodes.esos-c'],
      ['UNKNOWN_NODE', 'scst.devices.d1.node'],
      ['UNKNOWN_NODE', 'scst.devices.d1.perNode.esos-z'],
      ['UNKNOWN_NODE', 'scst.alua.deviceGroups.a.targetGroups.t.node'],
    ],
  },
  {
    name: 'approvals and drift-ignore name well-formed addresses',
    bad: `${head}policy:\n  approvals: [{ address: scst/lun/1, action: delete, reason: r }, { address: scst/target/iscsi/t/group/g/lun/99999, action: delete, reason: r }]\n  drift: { ignore: [{ address: "scst/ device" }] }\n`,
    good: `${head}policy:\n  approvals: [{ address: scst/device/old, action: delete, reason: r }, { address: scst/target/iscsi/t/group/g/lun/7, action: delete, reason: r }]\n  drift: { ignore: [{ address: "scst/target/iscsi/*" }] }\n`,
    expect: [['ADDRESS_INVALID', 'policy.approvals[0].address'], ['ADDRESS_INVALID', 'policy.approvals[1].address'], ['ADDRESS_INVALID', 'policy.drift.ignore[0].address']],
  },
  {
    name: 'a /dev path no layer provides is a warning; a declared layer resolves it',
    bad: `${head}scst: { devices: { d1: { handler: vdisk_blockio, filename: /dev/vg0/lv1 } } }\n`,
    good: `${head}storage: { lvm: { vg0: { pvs: [/dev/sdb], lvs: { lv1: { size: 1G } } } } }\nscst: { devices: { d1: { handler: vdisk_blockio, filename: /dev/vg0/lv1 } } }\n`,
    expect: [['UNKNOWN_BLOCK_DEVICE', 'scst.devices.d1.filename']],
  },
  {
    name: 'physical disks need no layer; layer-style paths (md, DRBD, bcache, device-mapper) do',
    bad: `${head}scst: { devices: { a: { handler: vdisk_blockio, filename: /dev/md0 }, b: { handler: vdisk_blockio, filename: /dev/drbd1 }, c: { handler: vdisk_blockio, filename: /dev/mapper/vg0-x }, d: { handler: vdisk_blockio, filename: /dev/bcache0 } } }\n`,
    good: `${head}scst: { devices: { a: { handler: vdisk_blockio, filename: /dev/sdb }, b: { handler: vdisk_blockio, filename: /dev/nvme0n1 }, c: { handler: vdisk_blockio, filename: /dev/disk/by-id/wwn-0x5000c500a1b2c3d4 } } }\n`,
    expect: [['UNKNOWN_BLOCK_DEVICE', 'scst.devices.a.filename'], ['UNKNOWN_BLOCK_DEVICE', 'scst.devices.b.filename'], ['UNKNOWN_BLOCK_DEVICE', 'scst.devices.c.filename'], ['UNKNOWN_BLOCK_DEVICE', 'scst.devices.d.filename']],
  },
  {
    name: 'per-handler device options',
    bad: `${head}scst:\n  devices:\n    f: { handler: vdisk_fileio }\n    n: { handler: vdisk_nullio, oDirect: true, filename: /srv/x }\n    b: { handler: vdisk_blockio, filename: /dev/sdb, dummy: true }\n`,
    good: `${head}scst:\n  devices:\n    f: { handler: vdisk_fileio, filename: /srv/f.img }\n    n: { handler: vdisk_nullio, dummy: true }\n    b: { handler: vdisk_blockio, filename: /dev/sdb, nvCache: true }\n`,
    expect: [['DEVICE_FILENAME_REQUIRED', 'scst.devices.f'], ['DEVICE_OPTION_HANDLER', 'scst.devices.n.oDirect'], ['DEVICE_OPTION_HANDLER', 'scst.devices.n.filename'], ['DEVICE_OPTION_HANDLER', 'scst.devices.b.dummy']],
  },
  {
    name: 'fileio conflicts: readOnly with writeThrough, oDirect without async',
    bad: `${head}scst:\n  devices:\n    f1: { handler: vdisk_fileio, filename: /srv/a, readOnly: true, writeThrough: true }\n    f2: { handler: vdisk_fileio, filename: /srv/b, oDirect: true }\n`,
    good: `${head}scst:\n  devices:\n    f1: { handler: vdisk_fileio, filename: /srv/a, readOnly: true }\n    f2: { handler: vdisk_fileio, filename: /srv/b, oDirect: true, async: true }\n`,
    expect: [['DEVICE_OPTION_CONFLICT', 'scst.devices.f1'], ['DEVICE_OPTION_CONFLICT', 'scst.devices.f2.oDirect']],
  },
  {
    name: 'blocksize and size rules, also through perNode',
    bad: `${head}nodes: { a: {} }\nscst:\n  devices:\n    n1: { handler: vdisk_nullio, blocksize: 1000 }\n    n2: { handler: vdisk_nullio, blocksize: 4096, size: 6K }\n    n3: { handler: vdisk_nullio, blocksize: 256 }\n    n4: { handler: vdisk_nullio, size: 1G, perNode: { a: { blocksize: 4096, size: 1.5K } } }\n`,
    good: `${head}nodes: { a: {} }\nscst:\n  devices:\n    n1: { handler: vdisk_nullio, blocksize: 1024 }\n    n2: { handler: vdisk_nullio, blocksize: 4096, size: 8K }\n    n3: { handler: vdisk_nullio, blocksize: 512 }\n    n4: { handler: vdisk_nullio, size: 1G, perNode: { a: { blocksize: 4096, size: 2G } } }\n`,
    expect: [['BLOCKSIZE_INVALID', 'scst.devices.n1.blocksize'], ['SIZE_NOT_MULTIPLE', 'scst.devices.n2.size'], ['BLOCKSIZE_INVALID', 'scst.devices.n3.blocksize'], ['SIZE_NOT_MULTIPLE', 'scst.devices.n4.perNode.a.size']],
  },
  {
    name: 'dev_disk names are H:C:I:L',
    bad: `${head}scst: { devices: { disk1: { handler: dev_disk }, "1:0:0:0": { handler: vdisk_nullio } } }\n`,
    good: `${head}scst: { devices: { "1:0:0:0": { handler: dev_disk }, n1: { handler: vdisk_nullio } } }\n`,
    expect: [['NAME_INVALID', 'scst.devices.disk1'], ['NAME_INVALID', 'scst.devices.1:0:0:0']],
  },
  {
    name: 'target name forms per driver, and hex case',
    bad: `${head}scst:\n  targets:\n    iscsi: { "iqn.26-01.com.x:t": {}, "IQN.2026-01.com.x:t": {}, eui.12: {} }\n    qla2x00t: { "21:00:00:24:ff:00:00": {} }\n    ib_srpt: { "FE80:0000:0000:0000:0002:c903:0005:f34f": {} }\n    copy_manager: { other: {} }\n`,
    good: `${head}scst:\n  targets:\n    iscsi: { "iqn.2026-01.com.x:t": {}, "eui.02004567A425678D": {}, "naa.6001405abcdef012": {} }\n    qla2x00t: { "21:00:00:24:ff:00:00:01": {} }\n    ib_srpt: { "fe80:0000:0000:0000:0002:c903:0005:f34f": {} }\n    copy_manager: { copy_manager_tgt: {} }\n`,
    expect: [
      ['TARGET_NAME_FORM', 'scst.targets.iscsi["iqn.26-01.com.x:t"]'],
      ['TARGET_NAME_FORM', 'scst.targets.iscsi["IQN.2026-01.com.x:t"]'],
      ['TARGET_NAME_FORM', 'scst.targets.iscsi["eui.12"]'],
      ['TARGET_NAME_FORM', 'scst.targets.qla2x00t.21:00:00:24:ff:00:00'],
      ['GID_CASE', 'scst.targets.ib_srpt.FE80:0000:0000:0000:0002:c903:0005:f34f'],
      ['TARGET_NAME_FORM', 'scst.targets.copy_manager.other'],
    ],
  },
  {
    name: 'initiator and NPIV WWPNs in upper case',
    bad: `${head}scst:\n  targets:\n    qla2x00t:\n      "21:00:00:24:ff:00:10:01":\n        npiv: { nodeName: "20:00:00:24:FF:00:10:01", parentHost: "21:00:00:24:ff:00:00:01" }\n        groups: { g: { initiators: ["!21:00:00:24:FF:AA:00:01"] } }\n`,
    good: `${head}scst:\n  targets:\n    qla2x00t:\n      "21:00:00:24:ff:00:10:01":\n        npiv: { nodeName: "20:00:00:24:ff:00:10:01", parentHost: "21:00:00:24:ff:00:00:01" }\n        groups: { g: { initiators: ["!21:00:00:24:ff:aa:00:01"] } }\n`,
    expect: [['WWPN_CASE', 'scst.targets.qla2x00t.21:00:00:24:ff:00:10:01.npiv.nodeName'], ['WWPN_CASE', 'scst.targets.qla2x00t.21:00:00:24:ff:00:10:01.groups.g.initiators[0]']],
  },
  {
    name: 'driver-only options',
    bad: `${head}scst:\n  drivers: { qla2x00t: { auth: {} } }\n  targets:\n    scst_local: { l1: { enabled: true, allowedPortals: ["*"] } }\n    iscsi: { "iqn.2026-01.com.x:t": { npiv: { nodeName: "20:00:00:24:ff:00:10:01", parentHost: "21:00:00:24:ff:00:00:01" } } }\n`,
    good: `${head}scst:\n  drivers: { iscsi: { auth: {} } }\n  targets:\n    scst_local: { l1: {} }\n    iscsi: { "iqn.2026-01.com.x:t": { allowedPortals: ["*"] } }\n`,
    expect: [['DRIVER_OPTION', 'scst.drivers.qla2x00t.auth'], ['DRIVER_OPTION', 'scst.targets.scst_local.l1.allowedPortals'], ['DRIVER_OPTION', 'scst.targets.scst_local.l1.enabled'], ['DRIVER_OPTION', 'scst.targets.iscsi["iqn.2026-01.com.x:t"].npiv']],
  },
  {
    name: 'relTgtId unique among enabled targets of a node',
    bad: `${head}nodes: { a: {}, b: {} }\nscst:\n  targets:\n    scst_local: { l1: { relTgtId: 5 }, l2: { relTgtId: 5 } }\n    iscsi: { "iqn.2026-01.com.x:t": { node: b, relTgtId: 7, perNode: { b: { relTgtId: 5 } } } }\n`,
    good: `${head}nodes: { a: {}, b: {} }\nscst:\n  targets:\n    scst_local: { l1: { relTgtId: 5, node: a }, l2: { relTgtId: 5, node: b } }\n    iscsi: { "iqn.2026-01.com.x:t": { node: b, relTgtId: 5, perNode: { b: { relTgtId: 6 } } }, "iqn.2026-01.com.x:off": { relTgtId: 5, enabled: false } }\n`,
    expect: [['REL_TGT_ID_TWICE', 'scst.targets.scst_local.l2.relTgtId'], ['REL_TGT_ID_TWICE', 'scst.targets.iscsi["iqn.2026-01.com.x:t"].perNode.b.relTgtId']],
  },
  {
    name: 'lvmcache pool is another LV of the same VG',
    bad: `${head}storage: { lvm: { vg0: { pvs: [/dev/sdb], lvs: { a: { size: 1G, cache: { pool: fast } }, b: { size: 1G, cache: { pool: b } } } } } }\n`,
    good: `${head}storage: { lvm: { vg0: { pvs: [/dev/sdb], lvs: { a: { size: 1G, cache: { pool: fast } }, fast: { size: 1G } } } } }\n`,
    expect: [['UNKNOWN_LV', 'storage.lvm.vg0.lvs.a.cache.pool'], ['UNKNOWN_LV', 'storage.lvm.vg0.lvs.b.cache.pool']],
  },
  {
    name: 'verbatim device attributes: no double setting, identifier limits',
    bad: `${head}scst:\n  devices:\n    n1: { handler: vdisk_nullio, readOnly: true, attributes: { read_only: 1, prod_id: 12345678901234567 } }\n`,
    good: `${head}scst:\n  devices:\n    n1: { handler: vdisk_nullio, readOnly: true, attributes: { prod_id: "1234567890123456", read_zero: 1 } }\n`,
    expect: [['DEVICE_OPTION_CONFLICT', 'scst.devices.n1.attributes.read_only']],
  },
  {
    name: 'verbatim identifier too long',
    bad: `${head}scst:\n  devices:\n    n1: { handler: vdisk_nullio, attributes: { t10_vend_id: TOOLONGVENDOR } }\n`,
    good: `${head}scst:\n  devices:\n    n1: { handler: vdisk_nullio, attributes: { t10_vend_id: VENDOR } }\n`,
    expect: [['SCHEMA_LENGTH', 'scst.devices.n1.attributes.t10_vend_id']],
  },
];

for (const c of cases) {
  test(`rule: ${c.name}`, () => {
    const got = found(c.bad).map(([code, path]) => [code, path]);
    assert.deepEqual(new Set(got.map((x) => JSON.stringify(x))), new Set(c.expect.map((x) => JSON.stringify(x))));
    const fixed = run(c.good);
    assert.ok(fixed.ok, JSON.stringify(fixed.diagnostics, null, 1));
    assert.deepEqual(fixed.diagnostics.filter((d) => d.severity === 'error'), []);
  });
}

test('warnings alone leave the load ok', () => {
  const r = run(cases.find((c) => c.name.startsWith('a /dev path'))!.bad);
  assert.ok(r.ok);
  assert.deepEqual(r.diagnostics.map((d) => d.severity), ['warning']);
});
