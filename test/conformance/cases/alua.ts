import assert from 'node:assert/strict';
import type { Case } from '../helpers.js';
import { IQN, errnoOf, exists, mgmt, put, read, readlink } from '../helpers.js';

const DG = 'device_groups/dg';
const TG = `${DG}/target_groups/tg`;
const setup = async (env: Parameters<Case['run']>[0]) => {
  await mgmt(env, 'device_groups/mgmt', 'create dg');
  await mgmt(env, `${DG}/target_groups/mgmt`, 'create tg');
};

export const aluaCases: Case[] = [
  {
    title: '§1.7 a device is in at most one device group (EEXIST); an unknown device is EINVAL',
    async run(env) {
      await mgmt(env, 'handlers/vdisk_nullio/mgmt', 'add_device n0');
      await mgmt(env, 'device_groups/mgmt', 'create dg1');
      await mgmt(env, 'device_groups/mgmt', 'add dg2');
      await mgmt(env, 'device_groups/dg1/devices/mgmt', 'add n0');
      assert.equal(await errnoOf(mgmt(env, 'device_groups/dg2/devices/mgmt', 'add n0')), 'EEXIST');
      assert.equal(await errnoOf(mgmt(env, 'device_groups/dg2/devices/mgmt', 'add nope')), 'EINVAL');
      assert.equal(await readlink(env, 'device_groups/dg1/devices/n0'), '../../../devices/n0');
      assert.equal(await errnoOf(mgmt(env, 'device_groups/mgmt', 'create dg1')), 'EEXIST');
    },
  },
  {
    title: '§1.7 target-group membership is local (link) or remote (dir) as decided at add time',
    async run(env) {
      await setup(env);
      await mgmt(env, 'targets/iscsi/mgmt', `add_target ${IQN}`);
      await mgmt(env, `${TG}/mgmt`, `add ${IQN}`);
      await mgmt(env, `${TG}/mgmt`, 'add iqn.peer:later');
      assert.equal(await readlink(env, `${TG}/${IQN}`), `../../../../targets/iscsi/${IQN}`);
      assert.equal(await read(env, `${TG}/iqn.peer:later/rel_tgt_id`), '0\n[key]\n');
      await mgmt(env, 'targets/iscsi/mgmt', 'add_target iqn.peer:later');
      assert.equal(await errnoOf(readlink(env, `${TG}/iqn.peer:later`)), 'EINVAL');
      await put(env, `${TG}/iqn.peer:later/rel_tgt_id`, '12');
      assert.equal(await read(env, `${TG}/iqn.peer:later/rel_tgt_id`), '12\n[key]\n');
    },
  },
  {
    title: '§1.7 a target appears once per device group (EEXIST); unknown member del is EINVAL',
    async run(env) {
      await setup(env);
      await mgmt(env, `${DG}/target_groups/mgmt`, 'create tg2');
      await mgmt(env, `${TG}/mgmt`, 'add remote1');
      assert.equal(await errnoOf(mgmt(env, `${DG}/target_groups/tg2/mgmt`, 'add remote1')), 'EEXIST');
      assert.equal(await errnoOf(mgmt(env, `${TG}/mgmt`, 'del remote2')), 'EINVAL');
    },
  },
  {
    title: '§1.7 group_id and state always print [key]; group_id is 1..65535, state names are exact',
    async run(env) {
      await setup(env);
      assert.equal(await read(env, `${TG}/group_id`), '0\n[key]\n');
      assert.equal(await read(env, `${TG}/state`), 'active\n[key]\n');
      assert.equal(await read(env, `${TG}/preferred`), '0\n');
      assert.equal(await errnoOf(put(env, `${TG}/group_id`, '0')), 'EINVAL');
      await put(env, `${TG}/group_id`, '101');
      assert.equal(await read(env, `${TG}/group_id`), '101\n[key]\n');
      assert.equal(await errnoOf(put(env, `${TG}/state`, 'Standby')), 'EINVAL');
      await put(env, `${TG}/state`, 'standby\n');
      assert.equal(await read(env, `${TG}/state`), 'standby\n[key]\n');
      assert.equal(await errnoOf(put(env, `${TG}/preferred`, '2')), 'EINVAL');
    },
  },
  {
    title: '§4.4 deleting a device group always succeeds and drops its members',
    async run(env) {
      await setup(env);
      await mgmt(env, 'handlers/vdisk_nullio/mgmt', 'add_device n0');
      await mgmt(env, `${DG}/devices/mgmt`, 'add n0');
      await mgmt(env, 'device_groups/mgmt', 'del dg');
      assert.equal(await exists(env, DG), false);
      await mgmt(env, 'device_groups/mgmt', 'create dg2');
      await mgmt(env, 'device_groups/dg2/devices/mgmt', 'add n0');
      assert.equal(await errnoOf(mgmt(env, 'device_groups/mgmt', 'del dg')), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, 'device_groups/mgmt', 'rename dg2')), 'EINVAL');
    },
  },
  {
    title: '§1.7 preferred prints [key] only when 1',
    async run(env) {
      await setup(env);
      await put(env, `${TG}/preferred`, '1');
      assert.equal(await read(env, `${TG}/preferred`), '1\n[key]\n');
    },
  },
];
