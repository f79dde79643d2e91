import assert from 'node:assert/strict';
import type { Case, Env } from '../helpers.js';
import { IQN, T, errnoOf, exists, iscsiWithLun, list, mgmt, put, read, readlink } from '../helpers.js';

const G = `${T}/ini_groups`;
const H1 = 'iqn.1994-05.com.redhat:host1';
const H2 = 'iqn.1994-05.com.redhat:host2';

async function enabledWithGroup(env: Env): Promise<void> {
  await iscsiWithLun(env);
  await mgmt(env, `${G}/mgmt`, 'create g1');
  await mgmt(env, `${G}/g1/luns/mgmt`, 'add n0 0');
  await put(env, `${T}/enabled`, '1');
}

export const groupCases: Case[] = [
  {
    title: '§2.6 ini_groups create of a duplicate is EEXIST, del of an unknown group is EINVAL',
    async run(env) {
      await mgmt(env, 'targets/iscsi/mgmt', `add_target ${IQN}`);
      await mgmt(env, `${G}/mgmt`, 'create g1');
      assert.equal(await errnoOf(mgmt(env, `${G}/mgmt`, 'create g1')), 'EEXIST');
      assert.equal(await errnoOf(mgmt(env, `${G}/mgmt`, 'del g2')), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, `${G}/mgmt`, 'create')), 'EINVAL');
      assert.equal(await read(env, `${G}/g1/addr_method`), 'PERIPHERAL\n');
    },
  },
  {
    title: '§2.6 deleting a group removes its LUNs and initiators without emptying it first',
    async run(env) {
      await enabledWithGroup(env);
      await mgmt(env, `${G}/g1/initiators/mgmt`, `add ${H1}`);
      await mgmt(env, `${G}/mgmt`, 'del g1');
      assert.equal(await exists(env, `${G}/g1`), false);
      assert.deepEqual((await list(env, 'devices/n0/exported')).sort(), ['export0', 'export1']);
    },
  },
  {
    title: '§2.6 deleting a group with attached sessions is EBUSY',
    async run(env) {
      await enabledWithGroup(env);
      await mgmt(env, `${G}/g1/initiators/mgmt`, `add ${H1}`);
      await env.control.login({ driver: 'iscsi', target: IQN, initiator: H1 });
      assert.equal(await errnoOf(mgmt(env, `${G}/mgmt`, 'del g1')), 'EBUSY');
      await env.control.logout({ driver: 'iscsi', target: IQN, initiator: H1 });
      await mgmt(env, `${G}/mgmt`, 'del g1');
    },
  },
  {
    title: '§2.7 initiators: duplicate in one group EEXIST, same name in another group allowed, del unknown EINVAL',
    async run(env) {
      await enabledWithGroup(env);
      await mgmt(env, `${G}/mgmt`, 'create g2');
      await mgmt(env, `${G}/g1/initiators/mgmt`, `add ${H1}`);
      assert.equal(await errnoOf(mgmt(env, `${G}/g1/initiators/mgmt`, `add ${H1}`)), 'EEXIST');
      await mgmt(env, `${G}/g2/initiators/mgmt`, `add ${H1}`);
      assert.equal(await read(env, `${G}/g1/initiators/${H1}`), `${H1}\n`);
      assert.equal(await errnoOf(mgmt(env, `${G}/g1/initiators/mgmt`, `del ${H2}`)), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, `${G}/g1/initiators/mgmt`, H2)), 'EINVAL');
    },
  },
  {
    title: '§2.7 move takes an initiator to another group of the same target; clear empties a group',
    async run(env) {
      await enabledWithGroup(env);
      await mgmt(env, `${G}/mgmt`, 'create g2');
      await mgmt(env, `${G}/g1/initiators/mgmt`, `add ${H1}`);
      assert.equal(await errnoOf(mgmt(env, `${G}/g1/initiators/mgmt`, `move ${H1} g9`)), 'EINVAL');
      await mgmt(env, `${G}/g1/initiators/mgmt`, `move ${H1} g2`);
      assert.deepEqual((await list(env, `${G}/g2/initiators`)).sort(), [H1, 'mgmt'].sort());
      await mgmt(env, `${G}/g2/initiators/mgmt`, 'clear');
      assert.deepEqual(await list(env, `${G}/g2/initiators`), ['mgmt']);
    },
  },
  {
    title: '§1.6 a session joins the first group whose pattern matches (* ? and !), else the default LUN set',
    async run(env) {
      await enabledWithGroup(env);
      await mgmt(env, `${G}/mgmt`, 'create g2');
      await mgmt(env, `${G}/g1/initiators/mgmt`, 'add iqn.1994-05.com.redhat:host?');
      await mgmt(env, `${G}/g2/initiators/mgmt`, 'add !iqn.1994-05.com.redhat:*');
      await env.control.login({ driver: 'iscsi', target: IQN, initiator: H1 });
      await env.control.login({ driver: 'iscsi', target: IQN, initiator: 'iqn.2000-01.com.vmware:esx1' });
      await env.control.login({ driver: 'iscsi', target: IQN, initiator: 'iqn.1994-05.com.redhat:host10' });
      assert.equal(await readlink(env, `${T}/sessions/${H1}/luns`), '../../ini_groups/g1/luns');
      assert.equal(await readlink(env, `${T}/sessions/iqn.2000-01.com.vmware:esx1/luns`), '../../ini_groups/g2/luns');
      assert.equal(await readlink(env, `${T}/sessions/iqn.1994-05.com.redhat:host10/luns`), '../../luns');
      assert.equal(await read(env, `${T}/sessions/${H1}/initiator_name`), `${H1}\n`);
    },
  },
  {
    title: '§1.6 live sessions are re-matched when initiators change',
    async run(env) {
      await enabledWithGroup(env);
      await env.control.login({ driver: 'iscsi', target: IQN, initiator: H1 });
      assert.equal(await readlink(env, `${T}/sessions/${H1}/luns`), '../../luns');
      await mgmt(env, `${G}/g1/initiators/mgmt`, `add ${H1}`);
      assert.equal(await readlink(env, `${T}/sessions/${H1}/luns`), '../../ini_groups/g1/luns');
      await mgmt(env, `${G}/g1/initiators/mgmt`, `del ${H1}`);
      assert.equal(await readlink(env, `${T}/sessions/${H1}/luns`), '../../luns');
    },
  },
];
