import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkHardware, defaultHardware } from '../sim/hardware.js';
import { ESOS_MODULES } from '../sim/modules.js';
import { ScstEmulator } from './emulator/emulator.js';
import { emuHost } from './testing/emu-host.js';
import { applyDirect, planYaml } from './testing/loop.js';

const without = (...mods: string[]) => new ScstEmulator({ hardware: { ...defaultHardware(), modules: ESOS_MODULES.filter((m) => !mods.includes(m)) } });

test('the emulator shows a handler or target driver only while its module is loaded; the default is the ESOS set', () => {
  const all = new ScstEmulator();
  assert.deepEqual(all.readdir('handlers').sort(), ['dev_cdrom', 'dev_disk', 'dev_disk_perf', 'vcdrom', 'vdisk_blockio', 'vdisk_fileio', 'vdisk_nullio']);
  assert.deepEqual(all.readdir('targets').sort(), ['copy_manager', 'fcst', 'ib_srpt', 'iscsi', 'qla2x00t', 'scst_local']);
  const some = without('scst_vdisk', 'iscsi-scst', 'qla2x00tgt', 'ib_srpt');
  assert.deepEqual(some.readdir('handlers').sort(), ['dev_cdrom', 'dev_disk', 'dev_disk_perf']);
  // the copy manager is part of the core module: always there
  assert.deepEqual(some.readdir('targets').sort(), ['copy_manager', 'fcst', 'scst_local']);
  assert.throws(() => some.write('handlers/vdisk_nullio/mgmt', 'add_device n0'), { errno: 'ENOENT' });
  assert.throws(() => some.write('targets/iscsi/mgmt', 'add_target iqn.2026-01.x:t'), { errno: 'ENOENT' });
  // pass-through devices are the SCSI mid-layer's: there without any handler module
  assert.ok(without('scst_disk', 'scst_cdrom').readdir('devices').includes('2:0:0:0'));
});

test('a hardware profile names modules SCST has, or says which', () => {
  assert.deepEqual(checkHardware({ ...defaultHardware(), modules: ['scst_vdisk', 'iscsi-scst'] }), []);
  const errs = checkHardware({ ...defaultHardware(), modules: ['scst_vdisk', 'iscsi_scst'] });
  assert.equal(errs.length, 1);
  assert.match(errs[0]!, /^modules\[1\]: "iscsi_scst" is not an SCST module \(.*iscsi-scst/);
});

const YAML = `version: 1
scst:
  devices:
    n0: { handler: vdisk_nullio }
    "2:0:0:0": { handler: dev_disk }
  targets:
    iscsi:
      iqn.2026-01.com.example:t1:
        luns: { 0: n0 }
    ib_srpt:
      "fe80:0000:0000:0000:0002:c903:0005:f34f":
        enabled: true
    scst_local:
      l1:
        luns: { 0: "2:0:0:0" }
`;

test('a file needing a handler or target driver whose module is not loaded: those changes are unavailable, the module named; the rest applies', async () => {
  const host = emuHost(without('scst_vdisk', 'iscsi-scst', 'ib_srpt'));
  const plan = await planYaml({ host, yaml: YAML });
  const why = new Map(plan.blocked.map((b) => [b.address, b.unavailable]));
  assert.match(why.get('scst/device/n0') ?? '', /handler vdisk_nullio .*module scst_vdisk is not loaded/);
  assert.match(why.get('scst/target/iscsi/iqn.2026-01.com.example:t1') ?? '', /target driver iscsi .*module iscsi-scst is not loaded/);
  assert.match(why.get('scst/target/iscsi/iqn.2026-01.com.example:t1/lun/0') ?? '', /iscsi-scst|scst_vdisk/);
  assert.match(why.get('scst/target/ib_srpt/fe80:0000:0000:0000:0002:c903:0005:f34f/enabled') ?? '', /module ib_srpt is not loaded/);
  assert.ok(plan.blocked.every((b) => b.unavailable !== undefined), 'nothing here needs an approval: it cannot be made');
  const hint = plan.blocked.find((b) => b.address === 'scst/device/n0')?.hint ?? '';
  assert.match(hint, /modprobe scst_vdisk/);
  // what the machine has is made: the pass-through device and the scst_local target with its LUN
  const made = plan.changes.map((c) => c.address);
  for (const a of ['scst/device/2:0:0:0', 'scst/target/scst_local/l1', 'scst/target/scst_local/l1/lun/0']) assert.ok(made.includes(a), a);
  await applyDirect(host, plan);
  const again = await planYaml({ host, yaml: YAML });
  assert.deepEqual(again.changes.map((c) => c.address), []);
  assert.deepEqual(again.blocked.map((b) => b.address).sort(), plan.blocked.map((b) => b.address).sort());
});

test('with every module loaded the same file plans no unavailable change', async () => {
  const plan = await planYaml({ host: emuHost(), yaml: YAML });
  assert.deepEqual(plan.blocked.filter((b) => b.unavailable !== undefined).map((b) => b.address), []);
});
