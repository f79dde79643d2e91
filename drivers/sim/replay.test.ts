import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { defaultHardware, initSimDir, openSimHost } from './index.js';

const R = '/sys/kernel/scst_tgt';
const dev = fc.constantFrom('a', 'b', 'c');
const tgt = fc.constantFrom('iqn.x:1', 'iqn.x:2');
const lun = fc.integer({ min: 0, max: 3 });

/** A small vocabulary of writes, valid and invalid, with a few control operations mixed in. */
const step = fc.oneof(
  dev.map((d) => ({ p: 'handlers/vdisk_nullio/mgmt', v: `add_device ${d}` })),
  dev.map((d) => ({ p: 'handlers/vdisk_blockio/mgmt', v: `add_device ${d} filename=/dev/sdb` })),
  dev.map((d) => ({ p: 'handlers/vdisk_nullio/mgmt', v: `del_device ${d}` })),
  tgt.map((t) => ({ p: 'targets/iscsi/mgmt', v: `add_target ${t}` })),
  tgt.map((t) => ({ p: 'targets/iscsi/mgmt', v: `del_target ${t}` })),
  fc.tuple(tgt, dev, lun).map(([t, d, l]) => ({ p: `targets/iscsi/${t}/luns/mgmt`, v: `add ${d} ${l}` })),
  fc.tuple(tgt, lun).map(([t, l]) => ({ p: `targets/iscsi/${t}/luns/mgmt`, v: `del ${l}` })),
  tgt.map((t) => ({ p: `targets/iscsi/${t}/enabled`, v: '1' })),
  tgt.map((t) => ({ p: `targets/iscsi/${t}/ini_groups/mgmt`, v: 'create g' })),
  fc.constant({ p: 'ctl', v: 'async-on' }),
  fc.constant({ p: 'ctl', v: 'iscsid-bounce' }),
  fc.constant({ p: 'device_groups/mgmt', v: 'create dg' }),
  dev.map((d) => ({ p: 'device_groups/dg/devices/mgmt', v: `add ${d}` })),
);

test('property: a second process replaying the log sees exactly the state the writer built', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
      const dir = mkdtempSync(join(tmpdir(), 'sanform-replay-'));
      try {
        await initSimDir(dir, defaultHardware());
        const a = await openSimHost(dir, { compactEvery: 7 });
        for (const s of steps) {
          if (s.v === 'async-on') await a.control.asyncMode(true);
          else if (s.v === 'iscsid-bounce') await a.control.iscsiDaemon('down').then(() => a.control.iscsiDaemon('up'));
          else await a.sysfs.mgmt(`${R}/${s.p}`, s.v).catch(() => undefined);
        }
        const b = await openSimHost(dir);
        assert.deepEqual(await b.sysfs.readTree(R), await a.sysfs.readTree(R));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }),
    { numRuns: 25 },
  );
});
