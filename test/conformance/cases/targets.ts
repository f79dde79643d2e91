import assert from 'node:assert/strict';
import type { Case } from '../helpers.js';
import { IQN, IQN2, T, errnoOf, exists, list, mgmt, put, read } from '../helpers.js';

const T2 = `targets/iscsi/${IQN2}`;
const two = async (env: Parameters<Case['run']>[0]) => {
  await mgmt(env, 'targets/iscsi/mgmt', `add_target ${IQN}`);
  await mgmt(env, 'targets/iscsi/mgmt', `add_target ${IQN2}`);
};

export const targetCases: Case[] = [
  {
    // scst_cm_init (scst_copy_mgr.c) registers session SCST_CM_SESS_NAME right after its target;
    // the template has no close_session, so the session has no force_close (scst_sess_sysfs_create)
    title: '§1.4 the copy manager has its session copy_manager_sess from start-up, without force_close',
    async run(env) {
      const s = 'targets/copy_manager/copy_manager_tgt/sessions';
      assert.deepEqual(await list(env, s), ['copy_manager_sess']);
      assert.equal(await read(env, `${s}/copy_manager_sess/initiator_name`), 'copy_manager_sess\n');
      assert.equal(await exists(env, `${s}/copy_manager_sess/commands`), true);
      assert.equal(await exists(env, `${s}/copy_manager_sess/luns`), true);
      assert.equal(await exists(env, `${s}/copy_manager_sess/force_close`), false);
    },
  },
  {
    title: '§2.2 add_target of a duplicate is EEXIST, del_target of an unknown target is ENOENT',
    async run(env) {
      await mgmt(env, 'targets/iscsi/mgmt', `add_target ${IQN}`);
      assert.equal(await errnoOf(mgmt(env, 'targets/iscsi/mgmt', `add_target ${IQN}`)), 'EEXIST');
      assert.equal(await errnoOf(mgmt(env, 'targets/iscsi/mgmt', 'del_target iqn.nope')), 'ENOENT');
      assert.equal(await errnoOf(mgmt(env, 'targets/iscsi/mgmt', 'add_target')), 'EINVAL');
    },
  },
  {
    title: '§4.3 a new target has luns/, ini_groups/ and sessions/ and is disabled with rel_tgt_id 0',
    async run(env) {
      await mgmt(env, 'targets/iscsi/mgmt', `add_target ${IQN}`);
      const names = await list(env, T);
      for (const n of ['luns', 'ini_groups', 'sessions', 'enabled', 'rel_tgt_id', 'tid']) assert.ok(names.includes(n), n);
      assert.equal(await read(env, `${T}/enabled`), '0\n');
      assert.equal(await read(env, `${T}/rel_tgt_id`), '0\n');
    },
  },
  {
    title: '§1.5 enabling auto-assigns rel_tgt_id from a rotating counter; it is key once non-zero',
    async run(env) {
      await two(env);
      await put(env, `${T}/enabled`, '1');
      assert.equal(await read(env, `${T}/rel_tgt_id`), '1\n[key]\n');
      await put(env, `${T}/enabled`, '0');
      await put(env, `${T2}/enabled`, '1');
      assert.equal(await read(env, `${T2}/rel_tgt_id`), '2\n[key]\n');
      assert.equal(await read(env, `${T}/enabled`), '0\n');
    },
  },
  {
    title: '§8.2 rel_tgt_id used by an enabled target gives EBADSLT on enable and on write; disabled targets may share',
    async run(env) {
      await two(env);
      await put(env, `${T}/rel_tgt_id`, '7');
      await put(env, `${T2}/rel_tgt_id`, '7');
      await put(env, `${T}/enabled`, '1');
      assert.equal(await errnoOf(put(env, `${T2}/enabled`, '1')), 'EBADSLT');
      await put(env, `${T2}/rel_tgt_id`, '8');
      await put(env, `${T2}/enabled`, '1');
      assert.equal(await errnoOf(put(env, `${T2}/rel_tgt_id`, '7')), 'EBADSLT');
    },
  },
  {
    title: '§4.1 last_sysfs_mgmt_res holds Linux\'s errno number: an EBADSLT enable reads -57',
    async run(env) {
      await two(env);
      await put(env, `${T}/rel_tgt_id`, '7');
      await put(env, `${T2}/rel_tgt_id`, '7');
      await put(env, `${T}/enabled`, '1');
      assert.equal(await read(env, 'last_sysfs_mgmt_res'), '0\n');
      assert.equal(await errnoOf(put(env, `${T2}/enabled`, '1')), 'EBADSLT');
      assert.equal(await read(env, 'last_sysfs_mgmt_res'), '-57\n');
    },
  },
  {
    title: '§8.3 rel_tgt_id is 1..65535; 0 only while disabled',
    async run(env) {
      await mgmt(env, 'targets/iscsi/mgmt', `add_target ${IQN}`);
      assert.equal(await errnoOf(put(env, `${T}/rel_tgt_id`, '65536')), 'EINVAL');
      await put(env, `${T}/enabled`, '1');
      assert.equal(await errnoOf(put(env, `${T}/rel_tgt_id`, '0')), 'EINVAL');
      assert.equal(await errnoOf(put(env, `${T}/enabled`, 'yes')), 'EINVAL');
    },
  },
  {
    title: '§3.7 comment reads 0 bytes when unset, key when set, a lone newline clears it',
    async run(env) {
      await mgmt(env, 'targets/iscsi/mgmt', `add_target ${IQN}`);
      assert.equal(await read(env, `${T}/comment`), '');
      await put(env, `${T}/comment`, 'rack 4\n');
      assert.equal(await read(env, `${T}/comment`), 'rack 4\n[key]\n');
      await put(env, `${T}/comment`, '\n');
      assert.equal(await read(env, `${T}/comment`), '');
    },
  },
  {
    title: '§1.5 addr_method and io_grouping_type take prefixes, key when not default, EINVAL otherwise',
    async run(env) {
      await mgmt(env, 'targets/iscsi/mgmt', `add_target ${IQN}`);
      assert.equal(await read(env, `${T}/addr_method`), 'PERIPHERAL\n');
      await put(env, `${T}/addr_method`, 'fl');
      assert.equal(await read(env, `${T}/addr_method`), 'FLAT\n[key]\n');
      assert.equal(await errnoOf(put(env, `${T}/addr_method`, 'bogus')), 'EINVAL');
      await put(env, `${T}/io_grouping_type`, 'never');
      assert.equal(await read(env, `${T}/io_grouping_type`), 'never\n[key]\n');
      assert.equal(await errnoOf(put(env, `${T}/black_hole`, '9')), 'EINVAL');
    },
  },
  {
    title: '§4.4 del_target removes its LUNs, groups and target-group memberships',
    async run(env) {
      await mgmt(env, 'handlers/vdisk_nullio/mgmt', 'add_device n0');
      await mgmt(env, 'targets/iscsi/mgmt', `add_target ${IQN}`);
      await mgmt(env, `${T}/luns/mgmt`, 'add n0 0');
      await mgmt(env, `${T}/ini_groups/mgmt`, 'create g1');
      await mgmt(env, `${T}/ini_groups/g1/luns/mgmt`, 'add n0 1');
      await mgmt(env, 'device_groups/mgmt', 'create dg');
      await mgmt(env, 'device_groups/dg/target_groups/mgmt', 'create tg');
      await mgmt(env, 'device_groups/dg/target_groups/tg/mgmt', `add ${IQN}`);
      await mgmt(env, 'targets/iscsi/mgmt', `del_target ${IQN}`);
      assert.equal(await exists(env, T), false);
      assert.deepEqual(await list(env, 'devices/n0/exported'), ['export0']);
      assert.equal(await exists(env, `device_groups/dg/target_groups/tg/${IQN}`), false);
    },
  },
  {
    title: '§8.1 writing a read-only file is EACCES, reading a write-only file is EACCES',
    async run(env) {
      await mgmt(env, 'handlers/vdisk_nullio/mgmt', 'add_device n0');
      assert.equal(await errnoOf(put(env, 'devices/n0/blocksize', '4096')), 'EACCES');
      assert.equal(await errnoOf(put(env, 'version', 'x')), 'EACCES');
      await mgmt(env, 'handlers/vdisk_blockio/mgmt', 'add_device b0 filename=/dev/sdb');
      assert.equal(await errnoOf(read(env, 'devices/b0/sync')), 'EACCES');
      await put(env, 'devices/b0/sync', '1');
    },
  },
  {
    title: '§1.1 setup_id prints 0x%x (key when non-zero), cluster_name is 0 bytes when unset',
    async run(env) {
      assert.equal(await read(env, 'setup_id'), '0x0\n');
      await put(env, 'setup_id', '255');
      assert.equal(await read(env, 'setup_id'), '0xff\n[key]\n');
      assert.equal(await read(env, 'cluster_name'), '');
      await put(env, 'cluster_name', 'c1\n');
      assert.equal(await read(env, 'cluster_name'), 'c1\n[key]\n');
      assert.equal(await errnoOf(put(env, 'cluster_name', 'x'.repeat(64))), 'EINVAL');
      assert.equal(await errnoOf(put(env, 'setup_id', 'abc')), 'EINVAL');
    },
  },
  {
    title: '§8.1 reads are capped at 4096 bytes',
    async run(env) {
      await mgmt(env, 'targets/iscsi/mgmt', `add_target ${IQN}`);
      await put(env, `${T}/comment`, 'x'.repeat(4090));
      const c = await read(env, `${T}/comment`);
      assert.equal(Buffer.byteLength(c), 4096);
    },
  },
  {
    title: '§2.2 del_target with an extra token is EINVAL; scst_local del_target of an unknown target is ENOENT',
    async run(env) {
      await mgmt(env, 'targets/iscsi/mgmt', `add_target ${IQN}`);
      assert.equal(await errnoOf(mgmt(env, 'targets/iscsi/mgmt', `del_target ${IQN} now`)), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, 'targets/scst_local/mgmt', 'del_target nope')), 'ENOENT');
      assert.equal(await errnoOf(mgmt(env, 'targets/iscsi/mgmt', 'rename_target a b')), 'EINVAL');
    },
  },
  {
    title: '§1.5 a target of a driver without enabled counts as enabled for rel_tgt_id (0 is EINVAL)',
    async run(env) {
      await mgmt(env, 'targets/scst_local/mgmt', 'add_target l1');
      assert.equal(await errnoOf(put(env, 'targets/scst_local/l1/rel_tgt_id', '0')), 'EINVAL');
      await put(env, 'targets/scst_local/l1/rel_tgt_id', '5');
      assert.equal(await read(env, 'targets/scst_local/l1/rel_tgt_id'), '5\n[key]\n');
    },
  },
  {
    title: '§8.2 an scst_local target\'s rel_tgt_id blocks enabled targets (EBADSLT) and auto-assignment skips it',
    async run(env) {
      await mgmt(env, 'targets/scst_local/mgmt', 'add_target l1');
      await put(env, 'targets/scst_local/l1/rel_tgt_id', '1');
      await two(env);
      await put(env, `${T}/rel_tgt_id`, '1'); // disabled: may share
      assert.equal(await errnoOf(put(env, `${T}/enabled`, '1')), 'EBADSLT');
      await put(env, `${T2}/enabled`, '1'); // auto-assignment passes over 1
      assert.equal(await read(env, `${T2}/rel_tgt_id`), '2\n[key]\n');
      assert.equal(await errnoOf(put(env, 'targets/scst_local/l1/rel_tgt_id', '2')), 'EBADSLT');
    },
  },
  {
    title: '§2.9 trace_level takes add/del of known tokens; an unknown token or action is EINVAL',
    async run(env) {
      await put(env, 'trace_level', 'none');
      assert.ok((await read(env, 'trace_level')).startsWith('\n'));
      await put(env, 'trace_level', 'add mgmt');
      await put(env, 'trace_level', 'add pid');
      assert.ok((await read(env, 'trace_level')).startsWith('pid | mgmt\n'));
      assert.equal(await errnoOf(put(env, 'trace_level', 'add bogus')), 'EINVAL');
      assert.equal(await errnoOf(put(env, 'trace_level', 'louder')), 'EINVAL');
      await put(env, 'targets/iscsi/trace_level', 'del mgmt');
    },
  },
];
