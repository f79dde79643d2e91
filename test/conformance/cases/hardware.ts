import assert from 'node:assert/strict';
import type { Case } from '../helpers.js';
import { errnoOf, exists, list, mgmt, put, read, readlink } from '../helpers.js';

const FC1 = '21:00:00:24:ff:00:00:01';
const SRP = 'fe80:0000:0000:0000:0002:c903:0005:f34f';
const FCOE = '20:00:00:25:b5:00:00:0a';
const VPORT = '21:00:00:24:ff:00:01:01';

export const hardwareCases: Case[] = [
  {
    title: '§5.2 qla2x00t hardware targets exist with hw_target=1 and cannot be deleted',
    async run(env) {
      assert.equal(await read(env, `targets/qla2x00t/${FC1}/hw_target`), '1\n');
      assert.equal(await read(env, `targets/qla2x00t/${FC1}/enabled`), '0\n');
      assert.equal(await errnoOf(mgmt(env, 'targets/qla2x00t/mgmt', `del_target ${FC1}`)), 'EINVAL');
      assert.equal(await exists(env, `targets/qla2x00t/${FC1.toUpperCase()}`), false);
    },
  },
  {
    title: '§5.2 NPIV add_target needs node_name and a physical parent_host in WWN form',
    async run(env) {
      const M = 'targets/qla2x00t/mgmt';
      assert.equal(await errnoOf(mgmt(env, M, `add_target ${VPORT} node_name=20:00:00:24:ff:00:01:01`)), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, M, `add_target ${VPORT} node_name=2000; parent_host=${FC1}`)), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, M, `add_target ${VPORT} node_name=20:00:00:24:ff:00:01:01; parent_host=21:00:00:24:ff:00:00:99`)), 'EINVAL');
      await mgmt(env, M, `add_target ${VPORT} node_name=20:00:00:24:ff:00:01:01; parent_host=${FC1}`);
      assert.equal(await read(env, `targets/qla2x00t/${VPORT}/hw_target`), '0\n');
      await mgmt(env, M, `del_target ${VPORT}`);
    },
  },
  {
    title: '§5.2 qla2x00t targets link to their Scsi_Host (`host`); an NPIV port has no parent_host file, its host hangs under the parent\'s vport dir',
    async run(env) {
      const M = 'targets/qla2x00t/mgmt';
      const phys = await readlink(env, `targets/qla2x00t/${FC1}/host`);
      const m = /^(?:\.\.\/){5}(devices\/.*\/(host\d+))\/scsi_host\/\2$/.exec(phys);
      assert.ok(m, phys);
      await mgmt(env, M, `add_target ${VPORT} node_name=20:00:00:24:ff:00:01:01; parent_host=${FC1}`);
      assert.equal(await exists(env, `targets/qla2x00t/${VPORT}/parent_host`), false);
      const v = await readlink(env, `targets/qla2x00t/${VPORT}/host`);
      const n = m[2].slice(4);
      assert.match(v, new RegExp(`^(?:\\.\\./){5}${m[1].replace(/[.]/g, '\\.')}/vport-${n}:0-\\d+/(host\\d+)/scsi_host/\\1$`));
      assert.notEqual(v.split('/').at(-1), m[2]);
      await mgmt(env, M, `del_target ${VPORT}`);
    },
  },
  {
    title: '§5.3 §5.4 ib_srpt and fcst have no mgmt; their ports are pre-populated targets',
    async run(env) {
      assert.equal(await exists(env, 'targets/ib_srpt/mgmt'), false);
      assert.equal(await exists(env, 'targets/fcst/mgmt'), false);
      assert.deepEqual(await list(env, 'targets/ib_srpt'), [SRP]);
      assert.deepEqual(await list(env, 'targets/fcst'), [FCOE]);
      await put(env, `targets/ib_srpt/${SRP}/enabled`, '1');
    },
  },
  {
    title: '§5.5 scst_local: add_target with session_name, add_session/del_session, no enabled file',
    async run(env) {
      const M = 'targets/scst_local/mgmt';
      await mgmt(env, M, 'add_target local1 session_name=s1');
      assert.deepEqual(await list(env, 'targets/scst_local/local1/sessions'), ['s1']);
      await mgmt(env, M, 'add_session local1 s2');
      await mgmt(env, M, 'del_session local1 s1');
      assert.equal(await errnoOf(mgmt(env, M, 'del_session local1 s9')), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, M, 'add_session nope s1')), 'EINVAL');
      assert.deepEqual(await list(env, 'targets/scst_local/local1/sessions'), ['s2']);
      assert.equal(await exists(env, 'targets/scst_local/local1/enabled'), false);
    },
  },
  {
    // scst_disk.c registers two TYPE_DISK handlers, dev_disk and dev_disk_perf (DISK_PERF_NAME)
    title: '§1.2 dev_disk_perf binds a disk like dev_disk and refuses a CD-ROM',
    async run(env) {
      assert.ok((await list(env, 'handlers')).includes('dev_disk_perf'));
      await mgmt(env, 'handlers/dev_disk_perf/mgmt', 'add_device 2:0:0:0');
      assert.equal(await readlink(env, 'devices/2:0:0:0/handler'), '../../handlers/dev_disk_perf');
      assert.equal(await errnoOf(mgmt(env, 'handlers/dev_disk_perf/mgmt', 'add_device 3:0:0:0')), 'EINVAL');
      await mgmt(env, 'handlers/dev_disk_perf/mgmt', 'del_device 2:0:0:0');
      assert.equal(await exists(env, 'devices/2:0:0:0/handler'), false);
    },
  },
  {
    title: '§8.1 unbound pass-through devices exist as H:C:I:L without a handler link until bound',
    async run(env) {
      assert.equal(await exists(env, 'devices/2:0:0:0'), true);
      assert.equal(await exists(env, 'devices/2:0:0:0/handler'), false);
      await mgmt(env, 'handlers/dev_disk/mgmt', 'add_device 2:0:0:0');
      assert.equal(await readlink(env, 'devices/2:0:0:0/handler'), '../../handlers/dev_disk');
      await mgmt(env, 'handlers/dev_disk/mgmt', 'del_device 2:0:0:0');
      assert.equal(await exists(env, 'devices/2:0:0:0'), true);
      assert.equal(await exists(env, 'devices/2:0:0:0/handler'), false);
    },
  },
  {
    title: '§2.4 pass-through: wrong SCSI type, unknown H:C:I:L, malformed name or extra token are EINVAL',
    async run(env) {
      const M = 'handlers/dev_disk/mgmt';
      assert.equal(await errnoOf(mgmt(env, M, 'add_device 3:0:0:0')), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, M, 'add_device 9:0:0:0')), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, M, 'add_device 2:0:0')), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, M, 'add_device 2:0:0:0 x')), 'EINVAL');
      assert.equal(await read(env, M), 'Usage: echo "add_device H:C:I:L" >mgmt\n       echo "del_device H:C:I:L" >mgmt\n');
    },
  },
  {
    title: '§2.4 pass-through: add_device to the handler it is bound to is a silent success; del_device checks the type first',
    async run(env) {
      const M = 'handlers/dev_disk/mgmt';
      await mgmt(env, M, 'add_device 2:0:0:0');
      await mgmt(env, M, 'add_device 2:0:0:0'); // scst_assign_dev_handler(): same handler, nothing to do
      assert.equal(await readlink(env, 'devices/2:0:0:0/handler'), '../../handlers/dev_disk');
      assert.equal(await errnoOf(mgmt(env, 'handlers/dev_cdrom/mgmt', 'del_device 2:0:0:0')), 'EINVAL');
      await mgmt(env, M, 'del_device 2:0:0:0');
      assert.equal(await exists(env, 'devices/2:0:0:0/handler'), false);
      assert.equal(await errnoOf(mgmt(env, M, 'del_device 2:0:0:0')), 'EINVAL');
    },
  },
  {
    title: '§8.4 an unplugged FC port takes its target and configuration; plugged back it is fresh',
    async run(env) {
      await mgmt(env, 'handlers/vdisk_nullio/mgmt', 'add_device n0');
      await mgmt(env, `targets/qla2x00t/${FC1}/luns/mgmt`, 'add n0 0');
      await put(env, `targets/qla2x00t/${FC1}/enabled`, '1');
      await env.control.unplug(FC1);
      assert.equal(await exists(env, `targets/qla2x00t/${FC1}`), false);
      assert.deepEqual(await list(env, 'devices/n0/exported'), ['export0']);
      await env.control.plug(FC1);
      assert.equal(await read(env, `targets/qla2x00t/${FC1}/enabled`), '0\n');
      assert.deepEqual(await list(env, `targets/qla2x00t/${FC1}/luns`), ['mgmt']);
    },
  },
];
