import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Change } from '../../reconciler/core/change.js';
import type { Resource, Snapshot } from '../../reconciler/core/resource.js';
import { faultUnavailable } from '../../reconciler/stack/fault.js';
import { blocksUsers, unhealthy, type DrbdStatus } from './status.js';

const status = (disk: string, conn: string, peerDisk = 'UpToDate'): DrbdStatus => ({
  name: 'r0', role: 'Secondary',
  devices: [{ volume: 0, minor: 0, diskState: disk, sizeKiB: 1 }],
  connections: [{ peer: 'esos-a', state: conn, peerRole: 'Unknown', volumes: [{ volume: 0, replication: 'Off', peerDisk, percent: 0 }] }],
});

test('drbd health: waiting for the peer or a resync is a fault that does not stop the device\'s users; a failed disk or StandAlone does', () => {
  for (const [s, blocks] of [
    [status('Inconsistent', 'Connecting', 'DUnknown'), false],
    [status('UpToDate', 'Connecting', 'DUnknown'), false],
    [status('Inconsistent', 'Connected', 'UpToDate'), false],
    [status('Diskless', 'Connected'), true],
    [status('Failed', 'Connected'), true],
    [status('UpToDate', 'StandAlone', 'DUnknown'), true],
  ] as const) {
    assert.ok(unhealthy(s), `${s.devices[0]!.diskState}/${s.connections[0]!.state} is reported`);
    assert.equal(blocksUsers(s), blocks, `${s.devices[0]!.diskState}/${s.connections[0]!.state}`);
    const drbd: Resource = { address: 'drbd/resource/r0', kind: 'drbd.resource', driver: 'drbd', spec: {}, deps: [], status: { fault: unhealthy(s), faultBlocks: blocksUsers(s) } };
    const observed: Snapshot = { node: 'n', takenAt: '', source: 't', resources: new Map([[drbd.address, drbd]]) };
    const dev: Resource = { address: 'scst/device/vm', kind: 'scst.device', driver: 'scst', spec: {}, deps: [drbd.address] };
    const c: Change = { address: dev.address, kind: dev.kind, driver: 'scst', action: 'create', after: dev, fields: [], impact: [], reason: '', deps: dev.deps, stage: 'create-objects', ops: [] };
    assert.equal(faultUnavailable(c, observed) !== undefined, blocks);
  }
});
