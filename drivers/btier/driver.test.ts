/** The btier driver on the emulated kernel: create, tune, re-assemble, guard, import, missing module. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Plan } from '../../reconciler/core/change.js';
import { apply } from '../../reconciler/apply/index.js';
import { SealedSecret } from '../../reconciler/secrets.js';
import { plan } from '../../reconciler/plan/index.js';
import { expandDesired, observe } from '../../reconciler/snapshot/index.js';
import type { SanformModel } from '../../schema/model.js';
import { StackTestHost } from '../sim/stack-test-host.js';
import { btierDriver, importModel } from './index.js';

const GiB = 1024 ** 3;
const drivers = [btierDriver];
const secrets = { fingerprint: () => '', value: async () => new SealedSecret('x', '') };
const hosts: StackTestHost[] = [];
after(() => Promise.all(hosts.map((h) => h.close())));
const machine = (btier = true) => {
  const h = new StackTestHost([{ path: '/dev/nvme0n1p3', sizeBytes: GiB }, { path: '/dev/md0', sizeBytes: 8 * GiB }], { btier });
  hosts.push(h);
  return h;
};
const model = (btier: NonNullable<NonNullable<SanformModel['storage']>['btier']>) => ({ version: 1, storage: { btier } }) as SanformModel;
const TIER = model({ sdtiera: { devices: ['/dev/nvme0n1p3', '/dev/md0'], attributes: { migration_interval: 3600 } } });

async function planFor(host: StackTestHost, m: SanformModel, allow: string[] = []): Promise<Plan> {
  const desired = expandDesired(m, drivers, { node: 'n', secrets });
  const observed = await observe(host, drivers, { node: 'n' });
  return plan({ desired, observed, drivers, managedKinds: desired.kinds ?? [], allow });
}
const cmds = (p: Plan) => p.changes.flatMap((c) => c.ops.map((o) => (o.type === 'exec' ? o.argv.join(' ') : o.type === 'write' ? `${o.path} <- ${o.value}` : o.type)));

describe('btier driver', () => {
  it('creates over blank members with the exact commands; the next plan is empty', async () => {
    const host = machine();
    const p = await planFor(host, TIER);
    assert.deepEqual(cmds(p), ['btier_setup -f /dev/nvme0n1p3:/dev/md0 -c', '/sys/block/sdtiera/tier/migration_interval <- 3600']);
    assert.deepEqual(p.changes[0]?.impact.map((i) => i.class), ['benign']);
    assert.equal((await apply({ host, plan: p })).ok, true);
    assert.deepEqual((await planFor(host, TIER)).changes, []);
  });

  it('re-assembles members that carry the magic without -c (after a reboot), benign', async () => {
    const host = machine();
    await apply({ host, plan: await planFor(host, TIER) });
    host.btier.exec(['btier_setup', '-d', '/dev/sdtiera']);
    const p = await planFor(host, TIER);
    assert.deepEqual(cmds(p), ['btier_setup -f /dev/nvme0n1p3:/dev/md0', '/sys/block/sdtiera/tier/migration_interval <- 3600']);
    assert.deepEqual(p.blocked, []);
  });

  it('formatting a member that carries data is data-loss, named and blocked', async () => {
    const host = machine();
    host.disks.setSignature('/dev/md0', { type: 'xfs', uuid: '0b7d0b8e-8c1e-4e6b-9a7e-111111111111', offset: 0 });
    const p = await planFor(host, TIER);
    assert.match(p.blocked[0]?.because[0]?.detail ?? '', /\/dev\/md0 \(xfs \(UUID 0b7d0b8e/);
  });

  it('a member pulled out is a hardware fault, never a re-create; a create over a missing member is unavailable', async () => {
    const host = machine();
    await apply({ host, plan: await planFor(host, TIER) });
    host.disks.remove('/dev/md0');
    const live = await observe(host, drivers, { node: 'n' });
    assert.match(String((live.resources.get('btier/sdtiera')?.status as { fault?: string }).fault), /member \/dev\/md0 missing/);
    assert.deepEqual((await planFor(host, TIER)).changes, [], 'the faulty device is left alone');
    const fresh = machine();
    fresh.disks.remove('/dev/md0');
    const p = await planFor(fresh, TIER);
    assert.match(p.blocked.find((b) => b.address === 'btier/sdtiera')?.unavailable ?? '', /\/dev\/md0 is not on this machine/);
  });

  it('import gives an empty plan; without the module the layer is unavailable', async () => {
    const host = machine();
    await apply({ host, plan: await planFor(host, TIER) });
    const live = await observe(host, drivers, { node: 'n' });
    const imported = { version: 1, ...importModel([...live.resources.values()]) } as SanformModel;
    assert.deepEqual(imported.storage?.btier, { sdtiera: { devices: ['/dev/nvme0n1p3', '/dev/md0'], attributes: { migration_interval: 3600 } } });
    assert.deepEqual((await planFor(host, imported)).changes, []);
    const none = await observe(machine(false), drivers, { node: 'n' });
    assert.match(String((none.resources.get('btier/layer')?.status as { unavailable?: string }).unavailable), /btier kernel module is not loaded/);
  });
});
