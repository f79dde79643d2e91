import assert from 'node:assert/strict';
import type { Case } from '../helpers.js';
import { abs, errnoOf, exists, mgmt, read } from '../helpers.js';

const NULLIO = 'handlers/vdisk_nullio/mgmt';

export const asyncCases: Case[] = [
  {
    title: '§4.1 queued work returns EAGAIN; last_sysfs_mgmt_res is EAGAIN while pending, then the result',
    async run(env) {
      await env.control.asyncMode(true);
      assert.equal(await errnoOf(env.control.write(abs(NULLIO), 'add_device n0')), 'EAGAIN');
      assert.equal(await errnoOf(read(env, 'last_sysfs_mgmt_res')), 'EAGAIN');
      let res = '';
      for (let i = 0; i < 10 && !res; i++) res = await read(env, 'last_sysfs_mgmt_res').catch(() => '');
      assert.equal(res, '0\n');
      assert.equal(await exists(env, 'devices/n0'), true);
    },
  },
  {
    title: '§4.1 a failed queued command reports -errno in last_sysfs_mgmt_res and through the mgmt protocol',
    async run(env) {
      await mgmt(env, NULLIO, 'add_device n0');
      await env.control.asyncMode(true);
      assert.equal(await errnoOf(env.control.write(abs(NULLIO), 'add_device n0')), 'EAGAIN');
      let res = '';
      for (let i = 0; i < 10 && !res; i++) res = await read(env, 'last_sysfs_mgmt_res').catch(() => '');
      assert.equal(res, '-17\n');
      assert.equal(await errnoOf(mgmt(env, NULLIO, 'add_device n0')), 'EEXIST');
      await mgmt(env, NULLIO, 'add_device n1');
    },
  },
  {
    title: '§4.1 debug EAGAIN: every write returns EAGAIN yet the command runs and the protocol succeeds',
    async run(env) {
      await env.control.debugEagain(true);
      assert.equal(await errnoOf(env.control.write(abs(NULLIO), 'add_device n0')), 'EAGAIN');
      assert.equal(await exists(env, 'devices/n0'), true);
      await mgmt(env, NULLIO, 'add_device n1');
      assert.equal(await errnoOf(mgmt(env, NULLIO, 'add_device n1')), 'EEXIST');
    },
  },
  {
    title: '§4.1 device_groups/mgmt is synchronous even in async mode',
    async run(env) {
      await env.control.asyncMode(true);
      await env.control.write(abs('device_groups/mgmt'), 'create dg');
      assert.equal(await exists(env, 'device_groups/dg'), true);
    },
  },
];
