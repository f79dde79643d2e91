/**
 * Cases where today's plan/apply loop must converge (issue 8): each plans a file against the
 * emulator, applies it, and checks the next plan is empty.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
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
