import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Change } from '../core/change.js';
import type { Resource, Snapshot } from '../core/resource.js';
import { classifyDrift, correctable, countByClass, ignoreDrift } from './classify.js';

const r = (address: string, spec: Record<string, unknown> = {}, extra: Partial<Resource> = {}): Resource => ({
  address, kind: address.split('/').slice(0, 2).join('.'), driver: 'scst', spec, deps: [], ...extra,
});
const snap = (node: string, list: Resource[]): Snapshot => ({ node, takenAt: '', source: 't', resources: new Map(list.map((x) => [x.address, x])) });
const change = (action: Change['action'], before?: Resource, after?: Resource, fields: Change['fields'] = []): Change => ({
  address: (after ?? before)!.address, kind: (after ?? before)!.kind, driver: 'scst', action, before, after, fields,
  impact: [], reason: '', deps: [], stage: 'attributes', ops: [],
});

const iqn = 'scst/target/iscsi/iqn.2026-01.x:a';
const iqn2 = 'scst/target/iscsi/iqn.2026-01.x:b';
const wwpn = 'scst/target/qla2x00t/50:01:43:80:12:34:56:78';

describe('drift classification', () => {
  it('all iSCSI targets gone is kernel; their LUNs inherit it', () => {
    const want = [r(iqn), r(`${iqn}/lun/0`, {}, { deps: [iqn] }), r(iqn2)];
    const observed = snap('a', [r('scst/device/d0')]);
    const items = classifyDrift({ changes: want.map((w) => change('create', undefined, w)), observed, desired: snap('a', want) });
    assert.deepEqual(items.map((i) => i.class), ['kernel', 'kernel', 'kernel']);
  });

  it('one iSCSI target removed while another lives is operator, and so are its LUNs', () => {
    const t = r(iqn);
    const lun = r(`${iqn}/lun/0`, {}, { deps: [iqn] });
    const observed = snap('a', [r(iqn2)]);
    const items = classifyDrift({ changes: [change('create', undefined, t), change('create', undefined, lun)], observed, desired: snap('a', [t, lun]) });
    assert.deepEqual(items.map((i) => [i.address, i.class, i.found]), [[iqn, 'operator', 'absent'], [`${iqn}/lun/0`, 'operator', 'absent']]);
  });

  it('a missing FC port is hardware, even while iSCSI targets are also missing', () => {
    const fc = r(wwpn);
    const fcLun = r(`${wwpn}/group/esx/lun/0`, {}, { deps: [`${wwpn}/group/esx`] });
    const observed = snap('a', [r('scst/target/qla2x00t/other')]);
    const items = classifyDrift({ changes: [change('create', undefined, fc), change('create', undefined, fcLun)], observed, desired: snap('a', [fc, fcLun]) });
    assert.deepEqual(items.map((i) => i.class), ['hardware', 'hardware']);
  });

  it('a changed field is operator unless the peer expects that value (failover), extra objects are operator', () => {
    const tgDesired = r('scst/alua/dg/tg/local', { attributes: { state: 'active' } });
    const tgLive = r('scst/alua/dg/tg/local', { attributes: { state: 'standby' } });
    const peer = snap('b', [r('scst/alua/dg/tg/local', { attributes: { state: 'standby' } })]);
    const dev = r('scst/device/d0', { attributes: { prod_id: 'X' } });
    const devLive = r('scst/device/d0', { attributes: { prod_id: 'Y' } });
    const extra = r('scst/device/hand-made');
    const changes = [
      change('update', tgLive, tgDesired, [{ field: 'attributes.state', before: 'standby', after: 'active', inPlace: true }]),
      change('update', devLive, dev, [{ field: 'attributes.prod_id', before: 'Y', after: 'X', inPlace: true }]),
      change('delete', extra, undefined),
    ];
    const items = classifyDrift({ changes, observed: snap('a', [tgLive, devLive, extra]), desired: snap('a', [tgDesired, dev]), peers: [peer], policyMode: 'correct' });
    assert.deepEqual(items.map((i) => [i.class, i.field, i.expected, i.found]), [
      ['failover', 'attributes.state', 'active', 'standby'],
      ['operator', 'attributes.prod_id', 'X', 'Y'],
      ['operator', undefined, 'absent', 'present'],
    ]);
    assert.deepEqual(items.map(correctable), [false, true, true]);
    assert.deepEqual(countByClass(items), { operator: 2, kernel: 0, hardware: 0, failover: 1 });
  });

  it('ALUA: active moved to another target group, states swapped, or transitioning is failover; a state changed alone is operator', () => {
    const tg = (name: string, state: string) => r(`scst/alua/dg/tg/${name}`, { attributes: { group_id: name === 'a' ? 1 : 2, state } });
    const desired = snap('a', [tg('a', 'active'), tg('b', 'nonoptimized')]);
    const update = (name: string, live: string, want: string) =>
      change('update', tg(name, live), tg(name, want), [{ field: 'attributes.state', before: live, after: want, inPlace: true }]);
    const classes = (live: Record<string, string>) =>
      classifyDrift({
        changes: Object.entries(live).filter(([n, st]) => st !== (n === 'a' ? 'active' : 'nonoptimized')).map(([n, st]) => update(n, st, n === 'a' ? 'active' : 'nonoptimized')),
        observed: snap('a', Object.entries(live).map(([n, st]) => tg(n, st))),
        desired,
        policyMode: 'correct',
      }).map((i) => `${i.address.split('/').pop()}:${i.class}`);
    assert.deepEqual(classes({ a: 'nonoptimized', b: 'active' }), ['a:failover', 'b:failover']);
    assert.deepEqual(classes({ a: 'transitioning', b: 'nonoptimized' }), ['a:failover']);
    assert.deepEqual(classes({ a: 'standby', b: 'active' }), ['a:failover', 'b:failover']);
    assert.deepEqual(classes({ a: 'standby', b: 'nonoptimized' }), ['a:operator']);
    assert.deepEqual(classes({ a: 'active', b: 'active' }), ['b:operator']);
  });

  it('per-object drift mode overrides the policy; off hides the object', () => {
    const a = r('scst/device/a', { x: 1 }, { meta: { drift: 'off' } });
    const b = r('scst/device/b', { x: 1 }, { meta: { drift: 'correct' } });
    const f = [{ field: 'x', before: 2, after: 1, inPlace: true }];
    const items = classifyDrift({
      changes: [change('update', r('scst/device/a', { x: 2 }), a, f), change('update', r('scst/device/b', { x: 2 }), b, f)],
      observed: snap('a', []), desired: snap('a', [a, b]), policyMode: 'warn',
    });
    assert.deepEqual(items.map((i) => [i.address, i.mode]), [['scst/device/b', 'correct']]);
    assert.deepEqual(ignoreDrift(items, [{ address: 'scst/device/b', fields: ['y'] }]).length, 1);
    assert.deepEqual(ignoreDrift(items, [{ address: 'scst/device/b', fields: ['x'] }]).length, 0);
    assert.deepEqual(ignoreDrift(items, [{ address: 'scst/device/b' }]).length, 0);
  });

  it('an ignore rule ending in /* covers every address under it (the schema example), and * covers all', () => {
    const b = r('scst/device/b', { x: 1 });
    const f = [{ field: 'x', before: 2, after: 1, inPlace: true }];
    const items = classifyDrift({ changes: [change('update', r('scst/device/b', { x: 2 }), b, f)], observed: snap('a', []), desired: snap('a', [b]) });
    assert.equal(items.length, 1);
    assert.equal(ignoreDrift(items, [{ address: 'scst/device/*' }]).length, 0);
    assert.equal(ignoreDrift(items, [{ address: 'scst/*', fields: ['x'] }]).length, 0);
    assert.equal(ignoreDrift(items, [{ address: '*' }]).length, 0);
    assert.equal(ignoreDrift(items, [{ address: 'scst/dev/*' }]).length, 1, 'a prefix matches whole segments only');
    assert.equal(ignoreDrift(items, [{ address: 'scst/target/*' }]).length, 1);
  });

  it('objects under a target take the drift mode of the target', () => {
    const t = r(iqn, {}, { meta: { drift: 'off' } });
    const lun = r(`${iqn}/lun/0`, {}, { deps: [iqn] });
    const items = classifyDrift({ changes: [change('create', undefined, lun)], observed: snap('a', [t]), desired: snap('a', [t, lun]), policyMode: 'correct' });
    assert.deepEqual(items, []);
  });

  it('a faulty storage layer: its fault and every difference it explains are hardware, never corrected', () => {
    const fault = 'its cache device went away';
    const cache = r('bcache/cache/nvme0n1', { device: '/dev/nvme0n1' });
    const want = r('bcache/bcache0', { backing: '/dev/md1', cache: '/dev/nvme0n1' }, { deps: [cache.address] });
    const live = r('bcache/bcache0', { backing: '/dev/md1' }, { status: { fault } });
    const fields = [{ field: 'cache', before: undefined, after: '/dev/nvme0n1', inPlace: true }, { field: 'fault', before: fault, inPlace: false }];
    const items = classifyDrift({
      changes: [change('create', undefined, cache), change('update', live, want, fields)],
      observed: snap('a', [live]), desired: snap('a', [cache, want]), policyMode: 'correct',
    });
    assert.deepEqual(items.map((i) => [i.address, i.field, i.class]), [
      ['bcache/cache/nvme0n1', undefined, 'hardware'],
      ['bcache/bcache0', 'cache', 'hardware'],
      ['bcache/bcache0', 'fault', 'hardware'],
    ]);
    assert.deepEqual(items.map(correctable), [false, false, false]);
    const healthy = classifyDrift({ changes: [change('create', undefined, cache)], observed: snap('a', [r('bcache/bcache0', want.spec)]), desired: snap('a', [cache, want]) });
    assert.equal(healthy[0]?.class, 'operator', 'a missing cache under a healthy device was removed by hand');
  });
});
