// Names and limits of scst-sysfs.md §8.3 that the schema enforces, each reported at its key or value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDesiredTexts } from './index.js';

const one = (yaml: string) => {
  const r = loadDesiredTexts([{ file: 'l.yaml', text: `version: 1\n${yaml}` }]);
  return r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.path, d.line, d.col]);
};
/** [code, path, line, col] with col = where `token` starts on that line of `version: 1\n` + yaml. */
const at = (yaml: string, code: string, path: string, line: number, token: string) => {
  const col = `version: 1\n${yaml}`.split('\n')[line - 1].indexOf(token) + 1;
  assert.ok(col > 0, token);
  return [code, path, line, col];
};
const long = (n: number) => 'x'.repeat(n);

test('names and limits', () => {
  const y = {
    dev65: `scst:\n  devices:\n    ${long(65)}: { handler: vdisk_nullio }\n`,
    space: `scst:\n  devices:\n    "a b": { handler: vdisk_nullio }\n`,
    eq: `scst:\n  devices:\n    a=b: { handler: vdisk_nullio }\n`,
    slash: `scst:\n  devices:\n    a/b: { handler: vdisk_nullio }\n`,
    lun: `scst:\n  devices: { d: { handler: vdisk_nullio } }\n  targets: { scst_local: { t: { luns: { 16384: d } } } }\n`,
    rel: `scst:\n  targets: { scst_local: { t: { relTgtId: 65536 } } }\n`,
    iqn: `scst:\n  targets: { iscsi: { "iqn.2026-01.com.example:${long(232)}": {} } }\n`,
    gid: `scst:\n  alua: { deviceGroups: { g: { devices: [], targetGroups: { t: { groupId: 0, targets: [] } } } } }\n`,
    t10: `scst:\n  devices: { d: { handler: vdisk_nullio, t10DevId: ${long(26)} } }\n`,
    usn: `scst:\n  devices: { d: { handler: vdisk_nullio, usn: ${long(21)}, prodId: ${long(17)} } }\n`,
    vend: `scst:\n  devices: { d: { handler: vdisk_nullio, t10VendId: ${long(9)}, prodRevLvl: "12345" } }\n`,
  };
  const cases: [string, unknown[][]][] = [
    [y.dev65, [at(y.dev65, 'SCHEMA_LENGTH', `scst.devices.${long(65)}`, 4, 'x')]],
    [`scst:\n  devices:\n    ${long(64)}: { handler: vdisk_nullio }\n`, []],
    [y.space, [at(y.space, 'SCHEMA_PATTERN', 'scst.devices["a b"]', 4, '"a b"')]],
    [y.eq, [at(y.eq, 'SCHEMA_PATTERN', 'scst.devices["a=b"]', 4, 'a=b')]],
    [y.slash, [at(y.slash, 'SCHEMA_PATTERN', 'scst.devices["a/b"]', 4, 'a/b')]],
    [y.lun, [at(y.lun, 'SCHEMA_PATTERN', 'scst.targets.scst_local.t.luns.16384', 4, '16384')]],
    [`scst:\n  devices: { d: { handler: vdisk_nullio } }\n  targets: { scst_local: { t: { luns: { 16383: d } } } }\n`, []],
    [y.rel, [at(y.rel, 'SCHEMA_RANGE', 'scst.targets.scst_local.t.relTgtId', 3, '65536')]],
    [`scst:\n  targets: { iscsi: { "iqn.2026-01.com.example:${long(231)}": {} } }\n`, []],
    [y.iqn, [at(y.iqn, 'SCHEMA_LENGTH', `scst.targets.iscsi["iqn.2026-01.com.example:${long(232)}"]`, 3, '"iqn')]],
    [y.gid, [at(y.gid, 'SCHEMA_RANGE', 'scst.alua.deviceGroups.g.targetGroups.t.groupId', 3, '0,')]],
    [y.t10, [at(y.t10, 'SCHEMA_LENGTH', 'scst.devices.d.t10DevId', 3, 'xxx')]],
    [y.usn, [at(y.usn, 'SCHEMA_LENGTH', 'scst.devices.d.usn', 3, 'xxx'), at(y.usn, 'SCHEMA_LENGTH', 'scst.devices.d.prodId', 3, `${long(17)} }`)]],
    [y.vend, [at(y.vend, 'SCHEMA_LENGTH', 'scst.devices.d.t10VendId', 3, 'xxx'), at(y.vend, 'SCHEMA_LENGTH', 'scst.devices.d.prodRevLvl', 3, '"12345"')]],
  ];
  for (const [yaml, expected] of cases) assert.deepEqual(one(yaml), expected, yaml);
});
