import assert from 'node:assert/strict';
import type { Case } from '../helpers.js';
import { IQN, T, errnoOf, exists, iscsiWithLun, list, mgmt, put, read, readlink } from '../helpers.js';

const NULLIO = 'handlers/vdisk_nullio/mgmt';
const CM = 'targets/copy_manager/copy_manager_tgt';

export const lunCases: Case[] = [
  {
    title: '§2.5 add of an unknown device is EINVAL (not ENOENT)',
    async run(env) {
      await mgmt(env, 'targets/iscsi/mgmt', `add_target ${IQN}`);
      assert.equal(await errnoOf(mgmt(env, `${T}/luns/mgmt`, 'add nope 0')), 'EINVAL');
    },
  },
  {
    title: '§2.5 duplicate LUN is EEXIST, LUN above 16383 or non-numeric is EINVAL, unknown parameter EINVAL',
    async run(env) {
      await iscsiWithLun(env);
      assert.equal(await errnoOf(mgmt(env, `${T}/luns/mgmt`, 'add n0 0')), 'EEXIST');
      assert.equal(await errnoOf(mgmt(env, `${T}/luns/mgmt`, 'add n0 16384')), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, `${T}/luns/mgmt`, 'add n0 x')), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, `${T}/luns/mgmt`, 'add n0 5 write_back=1')), 'EINVAL');
      await mgmt(env, `${T}/luns/mgmt`, 'add n0 16383');
    },
  },
  {
    title: '§2.5 replace swaps the device at a LUN; del of an unknown LUN is EINVAL; clear empties the set',
    async run(env) {
      await iscsiWithLun(env);
      await mgmt(env, NULLIO, 'add_device n1');
      await mgmt(env, `${T}/luns/mgmt`, 'replace n1 0');
      assert.equal(await readlink(env, `${T}/luns/0/device`), '../../../../../devices/n1');
      assert.equal(await errnoOf(mgmt(env, `${T}/luns/mgmt`, 'del 7')), 'EINVAL');
      await mgmt(env, `${T}/luns/mgmt`, 'add n0 1');
      await mgmt(env, `${T}/luns/mgmt`, 'clear');
      assert.deepEqual(await list(env, `${T}/luns`), ['mgmt']);
    },
  },
  {
    title: '§2.5 LUN numbers are parsed like kstrtoul(…, 0): 0x10 and 020 are LUN 16 in add and del; del takes one token',
    async run(env) {
      await iscsiWithLun(env);
      await mgmt(env, `${T}/luns/mgmt`, 'add n0 0x10');
      assert.deepEqual((await list(env, `${T}/luns`)).filter((n) => n !== 'mgmt').sort(), ['0', '16']);
      assert.equal(await errnoOf(mgmt(env, `${T}/luns/mgmt`, 'add n0 020')), 'EEXIST');
      assert.equal(await errnoOf(mgmt(env, `${T}/luns/mgmt`, 'del 0x10 0')), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, `${T}/luns/mgmt`, 'del 1x')), 'EINVAL');
      await mgmt(env, `${T}/luns/mgmt`, 'del 0x10');
      assert.equal(await exists(env, `${T}/luns/16`), false);
    },
  },
  {
    title: '§1.5.1 LUN read_only prints [key] when the LUN or the device is read-only',
    async run(env) {
      await mgmt(env, NULLIO, 'add_device ro read_only=1');
      await iscsiWithLun(env);
      await mgmt(env, `${T}/luns/mgmt`, 'add ro 1');
      await mgmt(env, `${T}/luns/mgmt`, 'add n0 2 read_only=1');
      assert.equal(await read(env, `${T}/luns/0/read_only`), '0\n');
      assert.equal(await read(env, `${T}/luns/1/read_only`), '1\n[key]\n');
      assert.equal(await read(env, `${T}/luns/2/read_only`), '1\n[key]\n');
    },
  },
  {
    title: '§1.5.1 exportK numbers grow per device and are never reused',
    async run(env) {
      await iscsiWithLun(env);
      assert.deepEqual((await list(env, 'devices/n0/exported')).sort(), ['export0', 'export1']);
      await mgmt(env, `${T}/luns/mgmt`, 'del 0');
      await mgmt(env, `${T}/luns/mgmt`, 'add n0 3');
      assert.deepEqual((await list(env, 'devices/n0/exported')).sort(), ['export0', 'export2']);
      assert.equal(await readlink(env, 'devices/n0/exported/export2'), `../../../targets/iscsi/${IQN}/luns/3`);
    },
  },
  {
    title: '§8.1 LUN device links use five ../ at target level and seven in a group',
    async run(env) {
      await iscsiWithLun(env);
      await mgmt(env, `${T}/ini_groups/mgmt`, 'create g1');
      await mgmt(env, `${T}/ini_groups/g1/luns/mgmt`, 'add n0 4');
      assert.equal(await readlink(env, `${T}/luns/0/device`), '../../../../../devices/n0');
      assert.equal(await readlink(env, `${T}/ini_groups/g1/luns/4/device`), '../../../../../../../devices/n0');
      assert.ok((await list(env, 'devices/n0/exported')).length === 3);
    },
  },
  {
    title: '§1.8 every vdisk gets a copy-manager LUN from a rotating counter (export0)',
    async run(env) {
      await mgmt(env, NULLIO, 'add_device a');
      await mgmt(env, NULLIO, 'add_device b');
      assert.equal(await readlink(env, `${CM}/luns/0/device`), '../../../../../devices/a');
      assert.equal(await readlink(env, 'devices/b/exported/export0'), `../../../${CM}/luns/1`);
      await mgmt(env, `${CM}/luns/mgmt`, 'del 0');
      await mgmt(env, NULLIO, 'add_device c');
      assert.equal(await readlink(env, `${CM}/luns/2/device`), '../../../../../devices/c');
      assert.equal(await exists(env, `${CM}/luns/0`), false);
    },
  },
  {
    title: '§1.8 the copy manager has no mgmt, no enabled and refuses initiator groups',
    async run(env) {
      assert.equal(await exists(env, 'targets/copy_manager/mgmt'), false);
      assert.equal(await exists(env, `${CM}/enabled`), false);
      assert.equal(await errnoOf(mgmt(env, `${CM}/ini_groups/mgmt`, 'create g')), 'EINVAL');
      assert.equal(await read(env, 'targets/copy_manager/allow_not_connected_copy'), '0\n');
    },
  },
  {
    title: '§4.4 del_device removes its LUNs everywhere, its device-group membership and its copy-manager LUN',
    async run(env) {
      await iscsiWithLun(env);
      await mgmt(env, `${T}/ini_groups/mgmt`, 'create g1');
      await mgmt(env, `${T}/ini_groups/g1/luns/mgmt`, 'add n0 0');
      await mgmt(env, 'device_groups/mgmt', 'create dg');
      await mgmt(env, 'device_groups/dg/devices/mgmt', 'add n0');
      await mgmt(env, NULLIO, 'del_device n0');
      assert.equal(await exists(env, `${T}/luns/0`), false);
      assert.equal(await exists(env, `${T}/ini_groups/g1/luns/0`), false);
      assert.equal(await exists(env, 'device_groups/dg/devices/n0'), false);
      assert.deepEqual(await list(env, `${CM}/luns`), ['mgmt']);
    },
  },
  {
    title: '§1.3.1 pr_file_name cannot be written once the device is exported (EBUSY)',
    async run(env) {
      await mgmt(env, NULLIO, 'add_device n1');
      await put(env, 'devices/n1/pr_file_name', '/var/lib/scst/pr/x');
      await iscsiWithLun(env);
      assert.equal(await errnoOf(put(env, 'devices/n0/pr_file_name', '/var/lib/scst/pr/y')), 'EBUSY');
    },
  },
];
