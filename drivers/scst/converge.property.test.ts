import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { emuHost } from './testing/emu-host.js';
import { applyDirect, planYaml } from './testing/loop.js';

const DEVS = ['d0', 'd1', 'd2', 'd3'];
const INIS = ['iqn.h1', 'iqn.h2', 'iqn.h3'];

/** a random small SCST configuration over the emulator's default hardware. */
const config = fc.record({
  devices: fc.subarray(DEVS, { minLength: 1 }).chain((names) =>
    fc.tuple(fc.constant(names), fc.array(fc.record({ bs: fc.constantFrom(512, 4096), ro: fc.boolean(), prod: fc.option(fc.constantFrom('P1', 'P2')), qd: fc.option(fc.constantFrom(32, 128)) }), { minLength: names.length, maxLength: names.length })),
  ),
  targets: fc.subarray(['t1', 't2'], { minLength: 1 }),
  groups: fc.subarray(['g1', 'g2']),
  lunPick: fc.array(fc.nat(10), { minLength: 6, maxLength: 6 }),
  iniPick: fc.array(fc.nat(3), { minLength: 3, maxLength: 3 }),
  enabled: fc.boolean(),
  qc: fc.option(fc.constantFrom(16, 64)),
});

function toYaml(c: Parameters<typeof build>[0]): string {
  return stringify(build(c));
}

function build(c: { devices: [string[], { bs: number; ro: boolean; prod: string | null; qd: number | null }[]]; targets: string[]; groups: string[]; lunPick: number[]; iniPick: number[]; enabled: boolean; qc: number | null }): object {
  const [names, opts] = c.devices;
  const devices = Object.fromEntries(
    names.map((n, i) => [n, { handler: 'vdisk_blockio', filename: `/dev/sd${'bcde'[DEVS.indexOf(n)]}`, blocksize: opts[i].bs, readOnly: opts[i].ro, ...(opts[i].prod ? { prodId: opts[i].prod } : {}), ...(opts[i].qd ? { attributes: { max_tgt_dev_commands: opts[i].qd } } : {}) }]),
  );
  const dev = (k: number): string => names[k % names.length];
  const targets = Object.fromEntries(
    c.targets.map((t, ti) => {
      const groups = Object.fromEntries(
        c.groups.map((g, gi) => [g, { luns: { [c.lunPick[gi] % 3]: dev(c.lunPick[gi + 2]) }, initiators: INIS.filter((_, k) => c.iniPick[k] % (c.groups.length + 1) === gi + 1) }]),
      );
      return [`iqn.2026-01.test:${t}`, { enabled: ti === 0 ? c.enabled : true, luns: { 0: dev(c.lunPick[4 + ti]) }, groups, ...(c.qc ? { attributes: { QueuedCommands: c.qc } } : {}) }];
    }),
  );
  return { version: 1, scst: { devices, targets: { iscsi: targets } } };
}

/** plans with every guarded change allowed (the property is about convergence, not guards). */
async function planAllowed(host: ReturnType<typeof emuHost>, yaml: string) {
  let allow: string[] = [];
  for (;;) {
    const p = await planYaml({ host, yaml, allow });
    const more = p.blocked.map((b) => b.blockedBy ?? b.address).filter((a) => !allow.includes(a));
    if (more.length === 0) return p;
    allow = [...allow, ...more];
  }
}

test('from any configuration to any other: apply the plan, and the next plan is empty', async () => {
  await fc.assert(
    fc.asyncProperty(config, config, async (a, b) => {
      const host = emuHost();
      await applyDirect(host, await planAllowed(host, toYaml(a)));
      const p = await planAllowed(host, toYaml(b));
      await applyDirect(host, p);
      const again = await planYaml({ host, yaml: toYaml(b) });
      assert.deepEqual(again.changes.map((c) => `${c.action} ${c.address}`), []);
    }),
    { numRuns: 40 },
  );
});
