import assert from 'node:assert/strict';
import type { Case } from '../helpers.js';
import { errnoOf, exists, mgmt, put, read } from '../helpers.js';

const NULLIO = 'handlers/vdisk_nullio/mgmt';

export const grammarCases: Case[] = [
  {
    title: '§2.1 whitespace and = both separate lexems; ; and newline separate parameters',
    async run(env) {
      await mgmt(env, NULLIO, 'add_device n0 blocksize = 4096\nread_only 1;rotational=0');
      assert.equal(await read(env, 'devices/n0/blocksize'), '4096\n[key]\n');
      assert.equal(await read(env, 'devices/n0/read_only'), '1\n[key]\n');
      assert.equal(await read(env, 'devices/n0/rotational'), '0\n[key]\n');
    },
  },
  {
    title: '§2.1 an empty token ends the parameter list silently',
    async run(env) {
      await mgmt(env, NULLIO, 'add_device n0 blocksize=4096;;read_only=1');
      assert.equal(await read(env, 'devices/n0/read_only'), '0\n');
    },
  },
  {
    title: '§2.1 a token that is not empty but holds no lexem (" " or "=") is a syntax error (EINVAL)',
    async run(env) {
      // only a zero-length token ends the list; scst_get_next_token_str() does not skip blanks
      assert.equal(await errnoOf(mgmt(env, NULLIO, 'add_device n0 blocksize=4096; ;read_only=1')), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, NULLIO, 'add_device n0 blocksize=4096; ')), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, NULLIO, 'add_device n0 =;blocksize=4096')), 'EINVAL');
      // the lexer eats exactly one separator after the name: one blank then ";" is an empty token
      assert.equal(await errnoOf(mgmt(env, NULLIO, 'add_device n0  ;blocksize=4096')), 'EINVAL');
      assert.equal(await exists(env, 'devices/n0'), false);
      await mgmt(env, NULLIO, 'add_device n0 ;blocksize=4096');
      assert.equal(await read(env, 'devices/n0/blocksize'), '512\n');
      await mgmt(env, NULLIO, 'add_device n1 blocksize=4096;\n');
      assert.equal(await read(env, 'devices/n1/blocksize'), '4096\n[key]\n');
      await mgmt(env, 'targets/iscsi/mgmt', 'add_target iqn.2026-01.test.example:t1');
      const luns = 'targets/iscsi/iqn.2026-01.test.example:t1/luns/mgmt';
      assert.equal(await errnoOf(mgmt(env, luns, 'add n1 0 read_only=1; ')), 'EINVAL');
      await mgmt(env, luns, 'add n1 0 ;read_only=1');
      assert.equal(await read(env, 'targets/iscsi/iqn.2026-01.test.example:t1/luns/0/read_only'), '0\n');
    },
  },
  {
    title: '§8.1 a 0-byte write never reaches the store: success, nothing changes, no sysfs work',
    async run(env) {
      await mgmt(env, NULLIO, 'add_device n0');
      assert.equal(await errnoOf(mgmt(env, NULLIO, 'del_device nope')), 'EINVAL');
      assert.equal(await read(env, 'last_sysfs_mgmt_res'), '-22\n');
      await mgmt(env, NULLIO, ''); // an empty command would be EINVAL if the store saw it
      assert.equal(await read(env, 'last_sysfs_mgmt_res'), '-22\n');
      await put(env, 'devices/n0/naa_id', '0x6001405abcdef012');
      await put(env, 'devices/n0/naa_id', '');
      assert.equal(await read(env, 'devices/n0/naa_id'), '6001405abcdef012\n[key]\n');
      await put(env, 'devices/n0/naa_id', '\n'); // a lone newline is what clears it
      assert.equal(await read(env, 'devices/n0/naa_id'), '\n');
    },
  },
  {
    title: '§2.1 verbs and parameter names are case-insensitive, object names case-sensitive',
    async run(env) {
      await mgmt(env, NULLIO, 'ADD_DEVICE N0 BlockSize=4096');
      assert.equal(await exists(env, 'devices/N0'), true);
      assert.equal(await exists(env, 'devices/n0'), false);
      assert.equal(await errnoOf(mgmt(env, NULLIO, 'del_device n0')), 'EINVAL');
      await mgmt(env, NULLIO, 'Del_Device N0');
    },
  },
  {
    title: '§2.1 a parameter without a value or with two values is EINVAL',
    async run(env) {
      assert.equal(await errnoOf(mgmt(env, NULLIO, 'add_device n0 read_only')), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, NULLIO, 'add_device n0 read_only 1 2')), 'EINVAL');
      assert.equal(await exists(env, 'devices/n0'), false);
    },
  },
  {
    title: '§2.3 an unknown verb or a missing name is EINVAL',
    async run(env) {
      assert.equal(await errnoOf(mgmt(env, NULLIO, 'create_device n0')), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, NULLIO, 'add_device')), 'EINVAL');
    },
  },
  {
    title: '§2.3 vdisk_fileio accepts unadvertised parser names, other handlers reject unknown parameters',
    async run(env) {
      assert.equal(await errnoOf(mgmt(env, 'handlers/vdisk_blockio/mgmt', 'add_device b0 filename=/dev/sdb; o_direct=1')), 'EINVAL');
      assert.equal(await errnoOf(mgmt(env, NULLIO, 'add_device n0 filename=/dev/sdb')), 'EINVAL');
      await mgmt(env, 'handlers/vdisk_fileio/mgmt', 'add_device f0 filename=/dev/sdc; lb_per_pb_exp=0');
      assert.equal(await read(env, 'devices/f0/lb_per_pb_exp'), '0\n[key]\n');
    },
  },
  {
    title: '§2.3 handler mgmt help lists the create parameters on the "The following parameters available:" line',
    async run(env) {
      const help = await read(env, 'handlers/vdisk_fileio/mgmt');
      assert.match(help, /^Usage: echo "add_device device_name \[parameters\]" >mgmt$/m);
      const line = help.split('\n').find((l) => l.startsWith('The following parameters available: '));
      assert.ok(line);
      const params = line!.slice('The following parameters available: '.length).split(', ');
      assert.deepEqual(params.slice(0, 4), ['active', 'async', 'bind_alua_state', 'blocksize']);
      assert.equal(params.length, 20);
      assert.ok(!params.includes('size'));
    },
  },
  {
    title: '§2.2 driver mgmt help: iSCSI attribute lines, qla2x00t and scst_local parameters',
    async run(env) {
      const iscsi = (await read(env, 'targets/iscsi/mgmt')).split('\n');
      assert.ok(iscsi.includes('The following target driver attributes available: IncomingUser, OutgoingUser'));
      assert.ok(iscsi.includes('The following target attributes available: IncomingUser, OutgoingUser, allowed_portal'));
      assert.ok((await read(env, 'targets/qla2x00t/mgmt')).split('\n').includes('The following parameters available: node_name, parent_host'));
      assert.ok((await read(env, 'targets/scst_local/mgmt')).split('\n').includes('The following parameters available: session_name'));
    },
  },
  {
    title: '§2.5 luns/mgmt help advertises only read_only',
    async run(env) {
      await mgmt(env, 'targets/iscsi/mgmt', 'add_target iqn.x:t');
      const help = (await read(env, 'targets/iscsi/iqn.x:t/luns/mgmt')).split('\n');
      assert.ok(help.includes('The following parameters available: read_only'));
      assert.ok(help.some((l) => l.includes('replace_no_ua')));
    },
  },
  {
    title: '§2.1 a trailing newline (as echo writes) is accepted',
    async run(env) {
      await mgmt(env, NULLIO, 'add_device n0 read_only=1\n');
      assert.equal(await read(env, 'devices/n0/read_only'), '1\n[key]\n');
      await mgmt(env, NULLIO, 'del_device n0\n');
      assert.equal(await exists(env, 'devices/n0'), false);
    },
  },
];
