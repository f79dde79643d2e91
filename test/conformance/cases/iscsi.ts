import assert from 'node:assert/strict';
import type { Case } from '../helpers.js';
import { IQN, T, errnoOf, exists, iscsiWithLun, list, mgmt, put, read } from '../helpers.js';

const M = 'targets/iscsi/mgmt';

export const iscsiCases: Case[] = [
  {
    title: '§5.1 with iscsi-scstd down every iSCSI operation is EPERM and only mgmt/version/open_state/trace_level remain',
    async run(env) {
      await env.control.iscsiDaemon('down');
      assert.deepEqual((await list(env, 'targets/iscsi')).sort(), ['mgmt', 'open_state', 'trace_level', 'version']);
      assert.equal(await read(env, 'targets/iscsi/open_state'), 'closed\n');
      assert.equal(await errnoOf(mgmt(env, M, `add_target ${IQN}`)), 'EPERM');
      assert.equal(await errnoOf(mgmt(env, M, 'add_attribute IncomingUser joe 123456789012')), 'EPERM');
      await env.control.iscsiDaemon('up');
      await mgmt(env, M, `add_target ${IQN}`);
      assert.equal(await read(env, 'targets/iscsi/enabled'), '0\n');
    },
  },
  {
    title: '§5.1 daemon exit deletes every iSCSI target with its LUNs and target-group memberships',
    async run(env) {
      await iscsiWithLun(env);
      await mgmt(env, 'device_groups/mgmt', 'create dg');
      await mgmt(env, 'device_groups/dg/target_groups/mgmt', 'create tg');
      await mgmt(env, 'device_groups/dg/target_groups/tg/mgmt', `add ${IQN}`);
      await put(env, 'targets/iscsi/enabled', '1');
      await env.control.iscsiDaemon('down');
      await env.control.iscsiDaemon('up');
      assert.equal(await exists(env, T), false);
      assert.deepEqual(await list(env, 'devices/n0/exported'), ['export0']);
      assert.equal(await exists(env, `device_groups/dg/target_groups/tg/${IQN}`), false);
      assert.equal(await read(env, 'targets/iscsi/enabled'), '0\n');
    },
  },
  {
    title: '§3.2 IncomingUser files are IncomingUser, IncomingUser1, ... (mode 0600, key)',
    async run(env) {
      await mgmt(env, M, `add_target ${IQN}`);
      await mgmt(env, M, `add_target_attribute ${IQN} IncomingUser joe 123456789012`);
      await mgmt(env, M, `add_target_attribute ${IQN} IncomingUser ann abcdefghijklm`);
      assert.equal(await read(env, `${T}/IncomingUser`), 'joe 123456789012\n[key]\n');
      assert.equal(await read(env, `${T}/IncomingUser1`), 'ann abcdefghijklm\n[key]\n');
      const tree = await env.host.sysfs.readTree(`/sys/kernel/scst_tgt/${T}`);
      assert.equal(tree.find((e) => e.path === 'IncomingUser1')?.mode, 0o600);
      await mgmt(env, M, `del_target_attribute ${IQN} IncomingUser joe`);
      await mgmt(env, M, `add_target_attribute ${IQN} IncomingUser bob 123456789012`);
      assert.equal(await read(env, `${T}/IncomingUser`), 'bob 123456789012\n[key]\n');
    },
  },
  {
    title: '§5.1 CHAP secrets shorter than 12 bytes and duplicate users are EINVAL; del of an absent user is ENOENT',
    async run(env) {
      await mgmt(env, M, `add_target ${IQN}`);
      assert.equal(await errnoOf(mgmt(env, M, `add_target_attribute ${IQN} IncomingUser joe short`)), 'EINVAL');
      await mgmt(env, M, `add_target_attribute ${IQN} IncomingUser joe 123456789012`);
      assert.equal(await errnoOf(mgmt(env, M, `add_target_attribute ${IQN} IncomingUser joe 999999999999`)), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, M, `del_target_attribute ${IQN} IncomingUser ann`)), 'ENOENT');
      assert.equal(await errnoOf(mgmt(env, M, 'add_target_attribute iqn.nope IncomingUser a 123456789012')), 'ENOENT');
      assert.equal(await errnoOf(mgmt(env, M, `add_target_attribute ${IQN} Bogus x`)), 'EINVAL');
    },
  },
  {
    title: '§8.5 writing "user newsecret" into an existing IncomingUserN file replaces it in place',
    async run(env) {
      await mgmt(env, M, 'add_attribute IncomingUser disc 123456789012');
      await put(env, 'targets/iscsi/IncomingUser', 'disc newsecret1234');
      assert.equal(await read(env, 'targets/iscsi/IncomingUser'), 'disc newsecret1234\n[key]\n');
      assert.equal(await errnoOf(put(env, 'targets/iscsi/IncomingUser', 'disc short')), 'EINVAL');
    },
  },
  {
    title: '§5.1 allowed_portal is multi-valued per target; a duplicate is EINVAL',
    async run(env) {
      await mgmt(env, M, `add_target ${IQN}`);
      await mgmt(env, M, `add_target_attribute ${IQN} allowed_portal 10.0.0.*`);
      await mgmt(env, M, `add_target_attribute ${IQN} allowed_portal 10.1.0.1`);
      assert.equal(await errnoOf(mgmt(env, M, `add_target_attribute ${IQN} allowed_portal 10.0.0.*`)), 'EINVAL');
      assert.equal(await read(env, `${T}/allowed_portal1`), '10.1.0.1\n[key]\n');
      assert.equal(await errnoOf(mgmt(env, M, 'add_attribute allowed_portal 10.0.0.1')), 'EINVAL');
    },
  },
  {
    title: '§5.1 iscsi-scstd: an unknown target in *_target_attribute is ENOENT; allowed_portal takes one value; deleting an absent portal is EINVAL',
    async run(env) {
      await mgmt(env, M, `add_target ${IQN}`);
      assert.equal(await errnoOf(mgmt(env, M, 'add_target_attribute iqn.none allowed_portal 10.0.0.1')), 'ENOENT');
      assert.equal(await errnoOf(mgmt(env, M, 'del_target_attribute iqn.none IncomingUser joe')), 'ENOENT');
      assert.equal(await errnoOf(mgmt(env, M, `add_target_attribute ${IQN} allowed_portal 10.0.0.1 10.0.0.2`)), 'EINVAL');
      assert.equal(await exists(env, `${T}/allowed_portal`), false);
      assert.equal(await errnoOf(mgmt(env, M, `del_target_attribute ${IQN} allowed_portal 10.9.9.9`)), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, M, `del_target_attribute ${IQN} IncomingUser joe`)), 'ENOENT');
    },
  },
  {
    title: '§5.1 per-target iSCSI attributes have defaults, are key when changed and range-checked',
    async run(env) {
      await mgmt(env, M, `add_target ${IQN}`);
      assert.equal(await read(env, `${T}/QueuedCommands`), '32\n');
      assert.equal(await read(env, `${T}/HeaderDigest`), 'None\n');
      assert.equal(await read(env, `${T}/alias`), '\n');
      await put(env, `${T}/QueuedCommands`, '64');
      assert.equal(await read(env, `${T}/QueuedCommands`), '64\n[key]\n');
      assert.equal(await errnoOf(put(env, `${T}/QueuedCommands`, '4096')), 'EINVAL');
      await put(env, `${T}/HeaderDigest`, 'CRC32C,None');
      assert.equal(await errnoOf(put(env, `${T}/DataDigest`, 'MD5')), 'EINVAL');
      assert.equal(await read(env, `${T}/tid`), '1\n');
    },
  },
  {
    title: '§5.1 OutgoingUser holds at most one entry per scope: adding another replaces it',
    async run(env) {
      await mgmt(env, M, 'add_attribute OutgoingUser out1 123456789012');
      await mgmt(env, M, 'add_attribute OutgoingUser out2 123456789012');
      assert.equal(await read(env, 'targets/iscsi/OutgoingUser'), 'out2 123456789012\n[key]\n');
      assert.equal(await exists(env, 'targets/iscsi/OutgoingUser1'), false);
    },
  },
];
