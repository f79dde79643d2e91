/**
 * Cases where today's plan/apply loop must converge (issue 8): each plans a file against the
 * emulator, applies it, and checks the next plan is empty.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { SCST_ROOT } from '../../reconciler/host/host.js';
import { createSecretResolver } from '../../reconciler/secrets.js';
import type { SanformModel } from '../../schema/model.js';
import { exportConf } from './export.js';
import { importConf, importLive } from './import.js';
import { emuHost } from './testing/emu-host.js';
import { applyDirect, planYaml } from './testing/loop.js';

const lines = (p: { changes: { action: string; address: string; fields: { field: string }[] }[] }): string[] =>
  p.changes.map((c) => `${c.action} ${c.address}${c.fields.length ? ` ${c.fields.map((f) => f.field).join(',')}` : ''}`);

test('a vcdrom LUN converges: the kernel exports it read-only, so the plan expects read_only 1', async () => {
  const host = emuHost();
  const yaml = `version: 1
scst:
  devices:
    iso1: { handler: vcdrom }
  targets:
    iscsi:
      iqn.2026-01.com.example:cd:
        luns: { 0: iso1 }
`;
  const first = await planYaml({ host, yaml });
  const lun = first.changes.find((c) => c.address.endsWith('/lun/0'));
  assert.equal((lun?.after?.spec as { read_only?: boolean }).read_only, true);
  await applyDirect(host, first);
  assert.deepEqual(lines(await planYaml({ host, yaml })), []);
});

test('importing an scst.conf as scstadmin -write_config writes it (size [key] on every vdisk) plans nothing', async () => {
  const host = emuHost();
  const dir = mkdtempSync(join(tmpdir(), 'sanform-conv-'));
  try {
    writeFileSync(join(dir, 'img'), Buffer.alloc(1024 * 1024));
    await host.sysfs.mgmt(`${SCST_ROOT}/handlers/vdisk_blockio/mgmt`, 'add_device vm1 filename=/dev/sdb');
    await host.sysfs.mgmt(`${SCST_ROOT}/handlers/vdisk_fileio/mgmt`, `add_device f1 filename=${join(dir, 'img')}`);
    const size = async (d: string): Promise<string> => (await host.sysfs.read(`${SCST_ROOT}/devices/${d}/size`)).split('\n')[0]!.trim();
    const conf = `HANDLER vdisk_blockio {
\tDEVICE vm1 {
\t\tfilename /dev/sdb
\t\tsize ${await size('vm1')}
\t}
}

HANDLER vdisk_fileio {
\tDEVICE f1 {
\t\tfilename ${join(dir, 'img')}
\t\tsize ${await size('f1')}
\t}
}
`;
    const r = importConf(conf, { secretsDir: join(dir, 's'), node: 'esos-sim' });
    assert.doesNotMatch(r.yaml, /size/, 'size follows the backing store: left out like a live import does');
    assert.deepEqual(lines(await planYaml({ host, yaml: r.yaml })), []);
    const live = await importLive(host, { secretsDir: join(dir, 's'), node: 'esos-sim' });
    assert.deepEqual(parse(live.yaml), parse(r.yaml));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a blockio size set in the file converges, and writing it is IO-disruptive with the sessions named', async () => {
  const host = emuHost();
  const yaml = (size: string) => `version: 1
scst:
  devices:
    vm1: { handler: vdisk_blockio, filename: /dev/sdb, size: ${size} }
  targets:
    iscsi:
      iqn.2026-01.com.example:sz:
        luns: { 0: vm1 }
`;
  await applyDirect(host, await planYaml({ host, yaml: yaml('1G') }));
  assert.deepEqual(lines(await planYaml({ host, yaml: yaml('1G') })), []);
  host.emu.control.login('iscsi', 'iqn.2026-01.com.example:sz', 'iqn.1998-01.com.vmware:esx1');
  const guarded = await planYaml({ host, yaml: yaml('512M') });
  assert.deepEqual(guarded.blocked.map((b) => b.address), ['scst/device/vm1'], 'a size write under live sessions needs an approval');
  const p = await planYaml({ host, yaml: yaml('512M'), allow: ['scst/device/vm1'] });
  const c = p.changes.find((x) => x.address === 'scst/device/vm1');
  assert.deepEqual(c?.fields.map((f) => f.field), ['attributes.size']);
  assert.ok(c.impact.some((i) => i.class === 'io-disruptive' && /capacity/.test(i.detail)), JSON.stringify(c.impact));
  assert.deepEqual(c.impact.find((i) => i.class === 'session')?.sessions, ['iqn.1998-01.com.vmware:esx1']);
  await applyDirect(host, p);
  assert.deepEqual(lines(await planYaml({ host, yaml: yaml('512M') })), []);
});

test('export keeps identities: every vdisk gets the t10_dev_id, usn and vend_specific_id sanform gives it', async () => {
  const yaml = `version: 1
scst:
  setupId: 0x5a01
  devices:
    vm1: { handler: vdisk_blockio, filename: /dev/sdb }
    n1: { handler: vdisk_nullio, usn: KEEPME }
`;
  const host = emuHost();
  await applyDirect(host, await planYaml({ host, yaml }));
  const model = parse(yaml) as SanformModel;
  const secrets = createSecretResolver({ secrets: {} });
  const conf = await exportConf(model, { node: 'esos-sim', secrets });
  for (const dev of ['vm1', 'n1']) {
    const block = new RegExp(`DEVICE ${dev} \\{([^}]*)\\}`).exec(conf)?.[1] ?? '';
    for (const attr of ['t10_dev_id', 'usn', 'vend_specific_id']) {
      const live = (await host.sysfs.read(`${SCST_ROOT}/devices/${dev}/${attr}`)).split('\n')[0]!.trim();
      assert.match(block, new RegExp(`\\n\\s*${attr} ${live.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`), `${dev} ${attr} in\n${conf}`);
    }
  }
});
