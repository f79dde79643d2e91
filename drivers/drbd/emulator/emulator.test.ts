/**
 * The DRBD emulator against the real drbdadm: after the emulator runs what `drbdadm adjust`
 * asked for, the real tool, reading the emulator's `drbdsetup show`, has nothing left to do
 * (for net, disk and resource options alike); and the kernel's refusals come back with DRBD's
 * exit codes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSimHost } from '../../sim/index.js';

const res = (opts: string) => `resource r0 {
${opts}
  volume 0 { device /dev/drbd0 minor 0; disk /dev/sdb; meta-disk internal; }
  on esos-sim { node-id 0; address 10.10.0.1:7789; }
  on peer { node-id 1; address 10.10.0.2:7789; }
  connection-mesh { hosts esos-sim peer; }
}
`;

test('emulated drbdsetup show satisfies the real drbdadm adjust after each step', { timeout: 120_000 }, async () => {
  const h = createSimHost();
  const steps = [
    '  net { protocol C; }',
    '  net { protocol A; max-buffers 8000; }\n  disk { resync-rate 100M; al-extents 6007; }\n  options { auto-promote no; }',
    '  net { protocol C; }\n  disk { al-extents 6007; }',
  ];
  assert.equal((await h.exec(['drbdadm', 'create-md', '--force', 'r0/0'], {})).exitCode, 10, 'no config yet');
  for (const [i, text] of steps.entries()) {
    await h.files.writeAtomic('/etc/drbd.d/r0.res', res(text));
    if (i === 0) assert.equal((await h.exec(['drbdadm', 'create-md', '--force', 'r0/0'])).exitCode, 0);
    const dry = await h.exec(['drbdadm', '-d', 'adjust', 'r0']);
    assert.equal(dry.exitCode, 0, dry.stderr);
    assert.ok(dry.stdout.trim().length > 0, `step ${i}: the real tool finds something to do`);
    const run = await h.exec(['drbdadm', 'adjust', 'r0']);
    assert.equal(run.exitCode, 0, run.stderr);
    const again = await h.exec(['drbdadm', '-d', 'adjust', 'r0']);
    assert.equal(again.stdout.trim(), '', `step ${i}: left to do after adjust:\n${again.stdout}`);
  }
});

test('emulated kernel refusals carry DRBD exit codes', async () => {
  const h = createSimHost();
  const run = (...argv: string[]) => h.exec(argv);
  assert.equal((await run('drbdsetup', 'new-minor', 'r9', '0', '0')).exitCode, 10, 'unknown resource');
  assert.equal((await run('drbdsetup', 'new-resource', 'r0', '0')).exitCode, 0);
  assert.equal((await run('drbdsetup', 'new-resource', 'r0', '0')).exitCode, 10, 'exists');
  assert.equal((await run('drbdsetup', 'new-minor', 'r0', '0', '0')).exitCode, 0);
  assert.equal((await run('drbdsetup', 'attach', '0', '/dev/sdb', '/dev/sdb', 'internal')).exitCode, 10, 'no metadata');
  assert.equal((await run('drbdsetup', 'attach', '0', '/dev/nope', '/dev/nope', 'internal')).exitCode, 10, 'no such disk');
  assert.equal((await run('drbdmeta', '0', 'v09', '/dev/sdb', 'internal', 'create-md', '1')).exitCode, 0);
  assert.equal((await run('drbdmeta', '0', 'v09', '/dev/sdb', 'internal', 'create-md', '1')).exitCode, 20, 'metadata in place: needs --force');
  assert.equal((await run('drbdsetup', 'attach', '0', '/dev/sdb', '/dev/sdb', 'internal')).exitCode, 0);
  assert.equal((await run('drbdsetup', 'primary', 'r0')).exitCode, 17, 'Inconsistent and no peer: no UpToDate data');
  assert.equal((await run('drbdsetup', 'primary', 'r0', '--force')).exitCode, 0);
  assert.equal((await run('drbdsetup', 'new-peer', 'r0', '1', '--_name=peer')).exitCode, 0);
  assert.equal((await run('drbdsetup', 'connect', 'r0', '1')).exitCode, 10, 'no path');
  const st = JSON.parse((await run('drbdsetup', 'status', '--json')).stdout) as { role: string; devices: { 'disk-state': string }[] }[];
  assert.deepEqual(st.map((r) => [r.role, r.devices[0]!['disk-state']]), [['Primary', 'UpToDate']]);
});
