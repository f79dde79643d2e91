/**
 * The bcache driver on the emulated kernel: a fresh machine converges from the file and the next
 * plan is empty; the commands are exact; data-loss is named and guarded; a cache that went away
 * is a fault, not a plan; import gives a file whose plan is empty; observe makes one exec.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Plan } from '../../reconciler/core/change.js';
import type { Snapshot } from '../../reconciler/core/resource.js';
import { apply } from '../../reconciler/apply/index.js';
import { SealedSecret } from '../../reconciler/secrets.js';
import { plan } from '../../reconciler/plan/index.js';
import { expandDesired, observe } from '../../reconciler/snapshot/index.js';
import type { SanformModel } from '../../schema/model.js';
import { bcacheDriver, importModel } from './index.js';
import { StackTestHost } from '../sim/stack-test-host.js';
import { planSetUuid } from './uuid.js';

const GiB = 1024 ** 3;
const drivers = [bcacheDriver];
const secrets = { fingerprint: () => '', value: async () => new SealedSecret('x', '') };
const hosts: StackTestHost[] = [];
after(() => Promise.all(hosts.map((h) => h.close())));
const track = (h: StackTestHost) => (hosts.push(h), h);
const machine = (opts: { bcache?: boolean } = {}) =>
  track(new StackTestHost([
    { path: '/dev/md1', sizeBytes: 4 * GiB }, { path: '/dev/md2', sizeBytes: 4 * GiB }, { path: '/dev/nvme0n1p2', sizeBytes: GiB },
  ], opts));
const model = (bcache: NonNullable<NonNullable<SanformModel['storage']>['bcache']>): SanformModel => ({ version: 1, storage: { bcache } }) as SanformModel;
const EXAMPLE = model({ bcache0: { backing: '/dev/md1', cache: '/dev/nvme0n1p2', mode: 'writeback', attributes: { sequential_cutoff: 0 } } });

async function planFor(host: StackTestHost, m: SanformModel, allow: string[] = []): Promise<{ p: Plan; observed: Snapshot }> {
  const desired = expandDesired(m, drivers, { node: 'esos-test', secrets });
  const observed = await observe(host, drivers, { node: 'esos-test' });
  return { p: plan({ desired, observed, drivers, managedKinds: desired.kinds ?? [], allow }), observed };
}
const lines = (p: Plan) => p.changes.map((c) => `${c.action} ${c.address}`);

describe('bcache driver', () => {
  it('converges a fresh machine with the exact commands, and the next plan is empty', async () => {
    const host = machine();
    const { p } = await planFor(host, EXAMPLE);
    assert.deepEqual(lines(p), ['create bcache/cache/nvme0n1p2', 'create bcache/bcache0']);
    const uuid = planSetUuid('/dev/nvme0n1p2');
    assert.deepEqual(p.changes.flatMap((c) => c.ops.map((o) => (o.type === 'exec' ? o.argv.join(' ') : o.type === 'write' ? `${o.path} <- ${o.value}` : o.type))), [
      `make-bcache -C /dev/nvme0n1p2 --cset-uuid ${uuid}`,
      '/sys/fs/bcache/register_quiet <- /dev/nvme0n1p2',
      'make-bcache -B /dev/md1 --writeback',
      '/sys/fs/bcache/register_quiet <- /dev/md1',
      '/sys/block/bcache0/bcache/label <- bcache0',
      `/sys/block/bcache0/bcache/attach <- ${uuid}`,
      '/sys/block/bcache0/bcache/sequential_cutoff <- 0',
    ]);
    assert.deepEqual(p.blocked, []);
    const r = await apply({ host, plan: p });
    assert.equal(r.ok, true, JSON.stringify(r.results.filter((x) => x.status !== 'applied')));
    assert.equal(await host.sysfs.read('/sys/block/bcache0/bcache/cache_mode'), 'writethrough [writeback] writearound none\n');
    const again = await planFor(host, EXAMPLE);
    assert.deepEqual(lines(again.p), []);
  });

  it('names the signature a create would destroy, blocks it, and wipes first once approved', async () => {
    const host = machine();
    host.disks.setSignature('/dev/md1', { type: 'ext4', uuid: '1c453a47-bd3b-476b-bfc9-42cd3bffb4cf', offset: 0x438 });
    const { p } = await planFor(host, EXAMPLE);
    const b = p.blocked.find((x) => x.address === 'bcache/bcache0');
    assert.ok(b, 'the create over ext4 is blocked');
    assert.match(b.because.map((i) => i.detail).join(' '), /carries ext4 \(UUID 1c453a47/);
    const ok = await planFor(host, EXAMPLE, ['bcache/bcache0']);
    const c = ok.p.changes.find((x) => x.address === 'bcache/bcache0');
    assert.deepEqual(c?.ops[0], { type: 'exec', argv: ['wipefs', '-a', '/dev/md1'] });
    assert.equal((await apply({ host, plan: ok.p })).ok, true);
    assert.deepEqual(lines((await planFor(host, EXAMPLE)).p), []);
  });

  it('a mode change is io-disruptive, a tunable benign, a dirty writeback detach data-loss', async () => {
    const host = machine();
    await apply({ host, plan: (await planFor(host, EXAMPLE)).p });
    const next = model({ bcache0: { backing: '/dev/md1', cache: '/dev/nvme0n1p2', mode: 'writethrough', attributes: { sequential_cutoff: '8M' } } });
    const { p } = await planFor(host, next);
    const c = p.changes[0];
    assert.deepEqual(c?.impact.map((i) => i.class).sort(), ['benign', 'io-disruptive']);
    assert.deepEqual(c?.ops.map((o) => (o.type === 'write' ? `${o.path.split('/').pop()}=${o.value}` : '')), ['sequential_cutoff=8388608', 'cache_mode=writethrough']);
    host.bcache.kernel.setDirty('/dev/md1', 64 << 20);
    host.disks.add({ path: '/dev/nvme1n1', sizeBytes: GiB }, []);
    const moved = await planFor(host, model({ bcache0: { backing: '/dev/md1', cache: '/dev/nvme1n1', mode: 'writeback', attributes: { sequential_cutoff: 0 } } }));
    const dev = moved.p.blocked.find((x) => x.address === 'bcache/bcache0');
    assert.ok(dev);
    assert.match(dev.because.map((i) => `${i.class}: ${i.detail}`).join('\n'), /data-loss: detaches \/dev\/nvme0n1p2: .*64.0M of dirty data/);
  });

  it('a cache that went away is a hardware fault on the device, never re-created', async () => {
    const host = machine();
    await apply({ host, plan: (await planFor(host, EXAMPLE)).p });
    host.bcache.kernel.cacheGone('/dev/nvme0n1p2');
    const { observed } = await planFor(host, EXAMPLE);
    const st = observed.resources.get('bcache/bcache0')?.status as { fault?: string };
    assert.match(st.fault ?? '', /cache device went away/);
  });

  it('import writes a file whose plan is empty', async () => {
    const host = machine();
    const m = model({ bcache0: { backing: '/dev/md1', cache: '/dev/nvme0n1p2', mode: 'writearound', attributes: { sequential_cutoff: 1000000, writeback_percent: 40 } } });
    await apply({ host, plan: (await planFor(host, m)).p });
    const live = await observe(host, drivers, { node: 'esos-test' });
    const imported = { version: 1, ...importModel([...live.resources.values()]) } as SanformModel;
    assert.deepEqual(imported.storage?.bcache, { bcache0: { backing: '/dev/md1', cache: '/dev/nvme0n1p2', mode: 'writearound', attributes: { sequential_cutoff: 999936, writeback_percent: 40 } } });
    assert.deepEqual(lines((await planFor(host, imported)).p), []);
  });

  it('observe makes one exec whatever the device count; without the module the layer is missing', async () => {
    const host = machine();
    const two = model({ bcache0: { backing: '/dev/md1', cache: '/dev/nvme0n1p2' }, bcache1: { backing: '/dev/md2', cache: '/dev/nvme0n1p2' } });
    await apply({ host, plan: (await planFor(host, two)).p });
    host.execCalls = 0;
    const snap = await observe(host, drivers, { node: 'n' });
    assert.equal(host.execCalls, 1);
    assert.deepEqual([...snap.resources.keys()].sort(), ['bcache/bcache0', 'bcache/bcache1', 'bcache/cache/nvme0n1p2', 'bcache/layer']);
    const none = await observe(machine({ bcache: false }), drivers, { node: 'n' });
    assert.match(String((none.resources.get('bcache/layer')?.status as { unavailable?: string }).unavailable), /module is not loaded/);
  });
});
