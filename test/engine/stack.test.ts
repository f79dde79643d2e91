import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Change, Impact } from '../../reconciler/core/change.js';
import type { Driver } from '../../reconciler/core/driver.js';
import type { Resource, Snapshot } from '../../reconciler/core/resource.js';
import { plan } from '../../reconciler/plan/index.js';
import { driverIndex } from '../../reconciler/plan/types.js';
import { classifyDrift } from '../../reconciler/drift/classify.js';
import { scstDriver } from '../../drivers/scst/index.js';
import { linkBlockDevices } from '../../reconciler/stack/devices.js';
import { faultChanges } from '../../reconciler/stack/fault.js';
import { missingLayer } from '../../reconciler/stack/layer.js';

/**
 * Two fake block layers shaped like md/bcache: `lo/dev/NAME` provides /dev/NAME (kernel name
 * NAME) and uses `spec.uses`; `spec.size` grows in place, `spec.level` re-creates.
 */
function layer(name: string): Driver {
  return {
    name,
    kinds: [`${name}.dev`],
    observe: async () => [],
    desired: () => [],
    managedKinds: () => [`${name}.dev`],
    compare: (b, a) =>
      Object.keys(a.spec)
        .filter((k) => JSON.stringify((a.spec as Record<string, unknown>)[k]) !== JSON.stringify((b.spec as Record<string, unknown>)[k]))
        .map((k) => ({ field: k, before: (b.spec as Record<string, unknown>)[k], after: (a.spec as Record<string, unknown>)[k], inPlace: k !== 'level' })),
    classify: (c): Impact[] => [{ class: c.action === 'delete' || c.action === 'replace' ? 'data-loss' : 'benign', detail: c.action }],
    stage: (c) => (c.action === 'delete' ? 'teardown-objects' : 'create-objects'),
    ops: (c) => [{ type: 'exec', argv: [name, c.action, c.address] }],
    blockDevices: (r) => ({ provides: [`/dev/${r.address.split('/')[2]}`], uses: (r.spec as { uses: string[] }).uses, kernelName: r.address.split('/')[2] }),
    grows: (c) => c.fields.some((f) => f.field === 'size' && Number(f.after) > Number(f.before)),
    resized: (consumer) => ({ field: { field: 'size', inPlace: true }, ops: [{ type: 'exec', argv: [name, 'resize', consumer.address] }], impact: [], grows: true }),
  };
}
const lower = layer('lo');
const upper = layer('up');
const drivers = [lower, upper, scstDriver];

const dev = (drv: string, name: string, spec: Record<string, unknown>, status?: Record<string, unknown>): Resource => ({
  address: `${drv}/dev/${name}`, kind: `${drv}.dev`, driver: drv, spec, deps: [], ...(status ? { status } : {}),
});
const scstDev = (name: string, filename: string, status?: Record<string, unknown>): Resource => ({
  address: `scst/device/${name}`, kind: 'scst.device', driver: 'scst', spec: { handler: 'vdisk_blockio', attributes: { filename } }, deps: [], ...(status ? { status } : {}),
});

/** Every object in these snapshots is one sanform made, so it is in the inventory (prune: owned deletes it). */
function snap(list: Resource[], node = 'n'): Snapshot {
  const resources = new Map(list.map((r) => [r.address, structuredClone(r)]));
  linkBlockDevices(resources, driverIndex(drivers));
  return { node, takenAt: '', source: 'test', resources, inventory: list.map((r) => r.address) };
}
const stack = (o: { size?: number; status?: Record<string, unknown> } = {}): Resource[] => [
  dev('lo', 'md0', { uses: ['/dev/sdb', '/dev/sdc'], size: o.size ?? 10 }, o.status),
  dev('up', 'bcache0', { uses: ['/dev/md0'] }),
  scstDev('vm', '/dev/bcache0'),
];
const KINDS = ['lo.dev', 'up.dev', 'scst.device'];
const run = (desired: Resource[], observed: Resource[], allow: string[] = []) =>
  plan({ desired: snap(desired), observed: snap(observed), drivers, managedKinds: KINDS, allow });
const addrs = (cs: Change[]) => cs.map((c) => `${c.action} ${c.address}`);

test('uses become deps on the provider, whichever driver provides it', () => {
  const s = snap(stack());
  assert.deepEqual(s.resources.get('scst/device/vm')!.deps, ['up/dev/bcache0']);
  assert.deepEqual(s.resources.get('up/dev/bcache0')!.deps, ['lo/dev/md0']);
  assert.deepEqual(s.resources.get('lo/dev/md0')!.deps, [], 'a disk nobody provides is no dependency');
});

test('creates run bottom-up across drivers, deletes top-down', () => {
  const up = run(stack(), []);
  assert.deepEqual(addrs(up.changes), ['create lo/dev/md0', 'create up/dev/bcache0', 'create scst/device/vm']);
  const down = run([], stack(), ['lo/dev/md0', 'up/dev/bcache0', 'scst/device/vm']);
  assert.deepEqual(addrs(down.changes), ['delete scst/device/vm', 'delete up/dev/bcache0', 'delete lo/dev/md0']);
  assert.deepEqual(down.blocked, []);
});

test('a layer an SCST device still uses is not removed: the plan names the holder', () => {
  const [md0, , vm] = stack();
  const p = run([md0, vm], stack(), ['up/dev/bcache0']);
  assert.deepEqual(addrs(p.changes), []);
  const b = p.blocked.find((x) => x.address === 'up/dev/bcache0')!;
  assert.match(b.unavailable!, /scst\/device\/vm \(uses \/dev\/bcache0\)/);
});

test('a kernel holder under /sys/block/X/holders blocks removal too, and is named', () => {
  const observed = [dev('lo', 'md9', { uses: ['/dev/sdd'] }, { holders: ['dm-7'] })];
  const p = run([], observed, ['lo/dev/md9']);
  assert.equal(p.changes.length, 0);
  assert.match(p.blocked[0].unavailable!, /dm-7/);
  // a holder that goes in the same plan does not hold
  const both = [dev('lo', 'md9', { uses: ['/dev/sdd'] }, { holders: ['dm-7'] }), dev('up', 'dm-7', { uses: ['/dev/md9'] })];
  const q = run([], both, ['lo/dev/md9', 'up/dev/dm-7']);
  assert.deepEqual(addrs(q.changes), ['delete up/dev/dm-7', 'delete lo/dev/md9']);
});

test('a grown array is carried up: the layer above resizes, the SCST device gets resync_size with the sessions named', () => {
  const observed = [
    ...stack(),
    { address: 'scst/target/iscsi/iqn.t', kind: 'scst.target', driver: 'scst', spec: {}, deps: [], status: { sessions: [{ initiator: 'iqn.esx1' }] } },
    { address: 'scst/target/iscsi/iqn.t/lun/0', kind: 'scst.lun', driver: 'scst', spec: { device: 'vm' }, deps: [] },
  ];
  const p = run(stack({ size: 20 }), observed);
  assert.deepEqual(addrs(p.changes), ['update lo/dev/md0', 'update up/dev/bcache0', 'update scst/device/vm']);
  const vm = p.changes[2];
  assert.deepEqual(vm.ops, [{ type: 'write', path: '/sys/kernel/scst_tgt/devices/vm/resync_size', value: '1' }]);
  assert.deepEqual(vm.impact[0].sessions, ['iqn.esx1']);
  assert.equal(vm.impact[0].class, 'benign');
  assert.deepEqual(vm.deps, ['up/dev/bcache0']);
});

test('a layer the machine lacks makes its changes unavailable with the reason, and what waits on them', () => {
  const observed = [missingLayer('lo', { unavailable: 'mdadm is not installed', hint: 'apt-get install mdadm' })];
  const p = run(stack(), observed);
  assert.equal(p.changes.length, 0);
  const md = p.blocked.find((b) => b.address === 'lo/dev/md0')!;
  assert.match(md.unavailable!, /mdadm is not installed/);
  assert.equal(p.blocked.find((b) => b.address === 'scst/device/vm')!.blockedBy, 'up/dev/bcache0');
});

test('a hardware fault is never fixed by re-creating; it is drift of class hardware', () => {
  const faulty = stack({ status: { fault: 'degraded: /dev/sdc faulty' } });
  const wanted = stack();
  (wanted[0].spec as Record<string, unknown>).level = 'raid6'; // would re-create
  const p = run(wanted, faulty, ['lo/dev/md0']);
  assert.match(p.blocked.find((b) => b.address === 'lo/dev/md0')!.unavailable!, /hardware fault/);
  // nothing planned for the fault itself when the spec matches
  const same = run(stack(), faulty);
  assert.deepEqual(same.changes, []);
  const desired = snap(stack());
  const observed = snap(faulty);
  const drift = faultChanges(observed, desired);
  assert.deepEqual(drift.map((c) => c.address), ['lo/dev/md0']);
  const items = classifyDrift({ changes: drift, observed, desired });
  assert.deepEqual(items.map((i) => [i.address, i.class, i.field]), [['lo/dev/md0', 'hardware', 'fault']]);
  // something missing on top of a faulty layer is hardware drift and is not created
  const missingTop = run(stack(), faulty.slice(0, 1));
  assert.match(missingTop.blocked.find((b) => b.address === 'up/dev/bcache0')!.unavailable!, /hardware fault/);
  const unguarded = plan({ desired, observed: snap(faulty.slice(0, 1)), drivers, managedKinds: KINDS, unguarded: true });
  const classes = classifyDrift({ changes: unguarded.changes, observed: snap(faulty.slice(0, 1)), desired });
  assert.equal(classes.find((i) => i.address === 'up/dev/bcache0')!.class, 'hardware');
});
