import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Change } from '../../reconciler/core/change.js';
import type { Resource, Snapshot } from '../../reconciler/core/resource.js';
import { CORE_ATTRS, DEVICE_ATTRS, DRIVER_ATTRS, GROUP_ATTRS, TARGET_ATTRS, TG_ATTRS } from './attrs.js';
import { scstDriver } from './index.js';
import { SealedSecret } from '../../reconciler/secrets.js';
import { observeTree } from './observe.js';
import { Tree } from './tree.js';

const res = (address: string, kind: string, spec: object, status?: object): Resource => ({ address, kind, driver: 'scst', spec: spec as Record<string, unknown>, deps: [], ...(status ? { status: status as Record<string, unknown> } : {}) });
const dev = (attributes: object, handler = 'vdisk_blockio'): Resource => res('scst/device/d1', 'scst.device', { handler, attributes });
const snap = (list: Resource[]): Snapshot => ({ node: 'n', takenAt: '', source: 't', resources: new Map(list.map((r) => [r.address, r])) });
const change = (o: Partial<Change> & Pick<Change, 'address' | 'kind' | 'action'>): Change => ({ driver: 'scst', fields: [], impact: [], reason: '', deps: [], stage: 'attributes', ops: [], ...o });

test('compare: unset attributes are unmanaged (every one of them), defaults never drift, a default written out is compared', () => {
  assert.deepEqual(scstDriver.compare(dev({ filename: '/dev/sdb', t10_dev_id: 'x' }), dev({ filename: '/dev/sdb' })), []);
  assert.deepEqual(scstDriver.compare(dev({ filename: '/dev/sdb' }), dev({ filename: '/dev/sdb', rotational: true, blocksize: 512 })), []);
  assert.deepEqual(scstDriver.compare(dev({ threads_pool_type: 'shared' }), dev({})), [], 'dropped from the file: left alone');
  const back = scstDriver.compare(dev({ threads_pool_type: 'shared' }), dev({ threads_pool_type: 'per_initiator' }));
  assert.deepEqual(back, [{ field: 'attributes.threads_pool_type', before: 'shared', after: 'per_initiator', inPlace: true }]);
  assert.deepEqual(scstDriver.compare(dev({ prod_id: 'OLD' }), dev({})), []);
  for (const [kind, rules] of [['scst.device', DEVICE_ATTRS], ['scst.target', TARGET_ATTRS], ['scst.group', GROUP_ATTRS], ['scst.driver', DRIVER_ATTRS], ['scst.core', CORE_ATTRS], ['scst.alua-tg', TG_ATTRS]] as const) {
    for (const attr of Object.keys(rules)) {
      const live = res('x', kind, { handler: 'vdisk_blockio', attributes: { [attr]: 'not-the-default' } });
      assert.deepEqual(scstDriver.compare(live, res('x', kind, { handler: 'vdisk_blockio', attributes: {} })), [], `${kind} ${attr}`);
    }
  }
});

test('compare: create-only device parameters force replacement, filename changes in place', () => {
  const [bs] = scstDriver.compare(dev({ blocksize: 512 }), dev({ blocksize: 4096 }));
  assert.equal(bs.inPlace, false);
  const [fn] = scstDriver.compare(dev({ filename: '/dev/sdb' }), dev({ filename: '/dev/sdc' }));
  assert.equal(fn.inPlace, true);
  assert.equal(scstDriver.compare(dev({}, 'vdisk_fileio'), dev({}, 'vdisk_blockio'))[0].inPlace, false);
});

test('compare: words the kernel matches case-insensitively do not drift on case', () => {
  const t = (a: object) => res('scst/target/iscsi/t', 'scst.target', { attributes: a });
  assert.deepEqual(scstDriver.compare(t({ addr_method: 'FLAT' }), t({ addr_method: 'flat' })), []);
});

test('classify: SCST never reports data-loss; deleting a LUN seen by a session names the initiator', () => {
  const target = res('scst/target/iscsi/t', 'scst.target', { attributes: {} }, { sessions: [{ initiator: 'iqn.h1', group: 'g' }, { initiator: 'iqn.h2' }] });
  const lun = res('scst/target/iscsi/t/group/g/lun/1', 'scst.lun', { device: 'd1', read_only: false });
  const observed = snap([target, lun, dev({})]);
  const impact = scstDriver.classify(change({ address: lun.address, kind: 'scst.lun', action: 'delete', before: lun }), observed);
  assert.deepEqual(impact.find((i) => i.class === 'session')?.sessions, ['iqn.h1']);
  for (const action of ['delete', 'replace'] as const) {
    const [b, a] = [dev({}), dev({ blocksize: 4096 })];
    const all = scstDriver.classify(change({ address: 'scst/device/d1', kind: 'scst.device', action, before: b, after: a, fields: action === 'replace' ? scstDriver.compare(b, a) : [] }), observed);
    assert.ok(!all.some((i) => i.class === 'data-loss'));
    assert.ok(all.some((i) => i.class === 'identity') === (action === 'replace'));
  }
});

test('classify: an ALUA id given for the first time (from SCST\'s default 0) is not an identity change; a changed one is', () => {
  const impact = (kind: string, field: string, before: unknown, after: unknown) =>
    scstDriver.classify(change({ address: 'scst/alua/dg/tg/tg1', kind, action: 'update', fields: [{ field, before, after, inPlace: true }] }), snap([]));
  for (const [kind, field] of [['scst.alua-tg', 'attributes.group_id'], ['scst.alua-tg-target', 'rel_tgt_id']] as const) {
    assert.ok(!impact(kind, field, 0, 7).some((i) => i.class === 'identity'), `${kind}: 0 -> 7`);
    assert.ok(impact(kind, field, 3, 7).some((i) => i.class === 'identity'), `${kind}: 3 -> 7`);
  }
});

test('ops: secret rotation is one write to the existing IncomingUserN file and carries only a token', () => {
  const before = res('scst/target/iscsi/t/incoming-user/joe', 'scst.chap-user', { direction: 'incoming', user: 'joe', secret: 'aaaa' }, { file: 'IncomingUser2' });
  const after = res(before.address, 'scst.chap-user', { direction: 'incoming', user: 'joe', secret: 'bbbb', secretName: 'chap-joe' });
  const c = change({ address: before.address, kind: 'scst.chap-user', action: 'update', before, after, fields: scstDriver.compare(before, after) });
  assert.deepEqual(scstDriver.ops(c, snap([before])), [{ type: 'write', path: '/sys/kernel/scst_tgt/targets/iscsi/t/IncomingUser2', value: 'joe {{secret:chap-joe}}' }]);
});

test('ops: a LUN pointed at another device is one replace, never del+add', () => {
  const before = res('scst/target/iscsi/t/lun/3', 'scst.lun', { device: 'a', read_only: true });
  const after = res(before.address, 'scst.lun', { device: 'b', read_only: false });
  const ops = scstDriver.ops(change({ address: before.address, kind: 'scst.lun', action: 'update', before, after, fields: scstDriver.compare(before, after) }), snap([]));
  assert.deepEqual(ops.map((o) => (o.type === 'mgmt' ? o.command : '')), ['replace b 3 read_only=0']);
});

test('ops: add_device passes create parameters with cluster_mode last; runtime attributes follow as writes', () => {
  const after = res('scst/device/d1', 'scst.device', { handler: 'vdisk_blockio', attributes: { filename: '/dev/sdb', cluster_mode: true, t10_dev_id: 'x1', prod_id: 'P' } });
  const ops = scstDriver.ops(change({ address: after.address, kind: 'scst.device', action: 'create', after }), snap([]));
  assert.deepEqual(ops.map((o) => (o.type === 'mgmt' ? o.command : o.type === 'write' ? `${o.path.split('/').pop()}=${o.value}` : '')), [
    'add_device d1 filename=/dev/sdb;t10_dev_id=x1;cluster_mode=1',
    'prod_id=P',
  ]);
});

test('prune: hardware targets converge to disabled and are kept; virtual ones are deleted', () => {
  const hw = res('scst/target/qla2x00t/21:00:00:24:ff:00:00:01/enabled', 'scst.target-enabled', { enabled: true }, { hardware: true });
  const v = res('scst/target/iscsi/t/enabled', 'scst.target-enabled', { enabled: true }, { hardware: false });
  const kept = scstDriver.prune(hw);
  assert.ok(typeof kept === 'object' && (kept.spec as { enabled: boolean }).enabled === false);
  assert.equal(scstDriver.prune(res('scst/target/qla2x00t/x', 'scst.target', { attributes: {} }, { hardware: true })), 'keep');
  assert.equal(scstDriver.prune(v), 'delete');
});

test('cascades: del_device takes its LUNs and ALUA membership; ini_groups del takes its initiators', () => {
  const d = dev({});
  assert.ok(scstDriver.cascades(d, res('scst/target/iscsi/t/group/g/lun/0', 'scst.lun', { device: 'd1', read_only: false })));
  assert.ok(!scstDriver.cascades(d, res('scst/target/iscsi/t/lun/0', 'scst.lun', { device: 'd2', read_only: false })));
  assert.ok(scstDriver.cascades(d, res('scst/alua/dg/device/d1', 'scst.alua-device', {})));
  const g = res('scst/target/iscsi/t/group/g', 'scst.group', { attributes: {} });
  assert.ok(scstDriver.cascades(g, res('scst/target/iscsi/t/initiator/iqn.x', 'scst.initiator', { group: 'g' })));
  assert.ok(!scstDriver.cascades(g, res('scst/target/iscsi/t/initiator/iqn.y', 'scst.initiator', { group: 'h' })));
});

test('observe: [key] decides for no-default attributes; counters and unbound pass-through devices are ignored', () => {
  const tree = new Tree([
    { path: '', type: 'dir' },
    { path: 'setup_id', type: 'file', content: '0x10\n[key]\n' },
    { path: 'devices', type: 'dir' },
    { path: 'devices/2:0:0:0', type: 'dir' },
    { path: 'devices/d1', type: 'dir' },
    { path: 'devices/d1/handler', type: 'link', target: '../../handlers/vdisk_blockio' },
    { path: 'devices/d1/filename', type: 'file', content: '/dev/sdb\n[key]\n\n' },
    { path: 'devices/d1/cpu_mask', type: 'file', content: 'ff\n' },
    { path: 'devices/d1/read_only', type: 'file', content: '0\n' },
    { path: 'devices/d1/custom', type: 'file', content: '7\n[key]\n' },
    { path: 'devices/d1/write_cmd_count', type: 'file', content: '1234\n' },
  ]);
  const rs = observeTree(tree);
  assert.deepEqual(rs.find((r) => r.address === 'scst/device/d1')?.spec, { handler: 'vdisk_blockio', attributes: { filename: '/dev/sdb', read_only: false, custom: 7 } });
  assert.equal((rs.find((r) => r.address === 'scst/core')?.spec as { attributes: { setup_id: number } }).attributes.setup_id, 16);
  assert.ok(!rs.some((r) => r.address === 'scst/device/2:0:0:0'));
});

test('desired: a file without scst: manages nothing of SCST', () => {
  const secrets = { fingerprint: () => 'x', value: async () => new SealedSecret('x', 'x') };
  assert.deepEqual(scstDriver.desired({ version: 1 }, { node: 'n', secrets }), []);
  assert.deepEqual(scstDriver.managedKinds({ version: 1 }), []);
});

test('observe: an initiator the kernel holds in two groups of a target is one resource (first group)', () => {
  const t = 'targets/iscsi/t';
  const e = [
    { path: '', type: 'dir' as const },
    { path: 'targets', type: 'dir' as const },
    { path: 'targets/iscsi', type: 'dir' as const },
    { path: t, type: 'dir' as const },
    ...['a', 'b'].flatMap((g) => [
      { path: `${t}/ini_groups/${g}`, type: 'dir' as const },
      { path: `${t}/ini_groups/${g}/initiators`, type: 'dir' as const },
      { path: `${t}/ini_groups/${g}/initiators/iqn.h1`, type: 'file' as const, content: 'iqn.h1\n' },
    ]),
  ];
  const inis = observeTree(new Tree(e)).filter((r) => r.kind === 'scst.initiator');
  assert.deepEqual(inis.map((r) => [r.address, (r.spec as { group: string }).group]), [['scst/target/iscsi/t/initiator/iqn.h1', 'a']]);
});

test('observe: a host without /sys/kernel/scst_tgt gives SCST_NOT_LOADED', async () => {
  const { ErrnoError } = await import('../../reconciler/core/errors.js');
  const host = { id: 'local', sysfs: { readTree: async () => { throw new ErrnoError('ENOENT', { path: '/sys/kernel/scst_tgt' }); } } } as unknown as Parameters<typeof scstDriver.observe>[0];
  await assert.rejects(scstDriver.observe(host), (e: { code?: string }) => e.code === 'SCST_NOT_LOADED');
});

test('observe: a directory that is not SCST\'s tree (no handlers/, no targets/) gives SCST_NOT_LOADED naming the host', async () => {
  const host = { id: 'local:/tmp/empty', sysfs: { readTree: async () => [{ path: '', type: 'dir' as const }] } } as unknown as Parameters<typeof scstDriver.observe>[0];
  await assert.rejects(scstDriver.observe(host), (e: { code?: string; data?: { host?: string } }) => e.code === 'SCST_NOT_LOADED' && e.data?.host === 'local:/tmp/empty');
});
