import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../main.js';

function io(cwd: string) {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => (o += d));
  err.on('data', (d) => (e += d));
  return { io: { stdout: out, stderr: err, stdin: new PassThrough(), env: {}, cwd }, out: () => o, err: () => e };
}

test('sanform sim init/ctl/show: a machine in DIR driven and summarized from the CLI', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-simcli-'));
  try {
    const a = io(dir);
    assert.equal(await main(['sim', 'init', 'm'], a.io), 0);
    assert.equal(await main(['sim', 'init', 'm'], io(dir).io), 1);
    const R = '/sys/kernel/scst_tgt';
    assert.equal(await main(['sim', 'ctl', 'm', 'write', `${R}/targets/iscsi/mgmt`, 'add_target iqn.x:t'], io(dir).io), 0);
    assert.equal(await main(['sim', 'ctl', 'm', 'write', `${R}/targets/iscsi/iqn.x:t/enabled`, '1'], io(dir).io), 0);
    assert.equal(await main(['sim', 'ctl', 'm', 'login', 'iscsi', 'iqn.x:t', 'iqn.1994-05.com.redhat:h1'], io(dir).io), 0);
    assert.equal(await main(['sim', 'ctl', 'm', 'unplug', '21:00:00:24:ff:00:00:02'], io(dir).io), 0);
    assert.equal(await main(['sim', 'ctl', 'm', 'iscsid', 'sideways'], io(dir).io), 1);
    const s = io(dir);
    assert.equal(await main(['sim', 'show', 'm'], s.io), 0);
    assert.match(s.out(), /iqn\.x:t enabled=1 rel_tgt_id=1/);
    assert.match(s.out(), /session iqn\.1994-05\.com\.redhat:h1 -> \.\.\/\.\.\/luns/);
    assert.match(s.out(), /21:00:00:24:ff:00:00:02 \(unplugged\)/);
    assert.match(s.out(), /iscsi \[iscsi-scstd up\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sanform sim init --hardware reads a YAML profile and rejects a bad one with a code', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-simcli-'));
  try {
    writeFileSync(join(dir, 'hw.yaml'), 'hostname: lab1\nblockDevices:\n  - { path: /dev/vdb, sizeBytes: 1048576 }\n');
    assert.equal(await main(['sim', 'init', 'm', '--hardware', 'hw.yaml'], io(dir).io), 0);
    const s = io(dir);
    await main(['sim', 'show', 'm'], s.io);
    assert.match(s.out(), /machine lab1/);
    writeFileSync(join(dir, 'bad.yaml'), 'hostname: lab1\nfcPorts:\n  - { wwpn: "21:00:00:24:FF:00:00:01" }\n');
    const b = io(dir);
    assert.equal(await main(['sim', 'init', 'n', '--hardware', 'bad.yaml'], b.io), 1);
    assert.match(b.err(), /SIM_BAD_HARDWARE/);
    const h = io(dir);
    assert.equal(await main(['sim', '--help'], h.io), 0);
    assert.match(h.out(), /sanform sim ctl DIR ACTION/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
