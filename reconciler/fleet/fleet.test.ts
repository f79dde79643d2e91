// fleet.yaml, the layered views and the wave gate (pure parts; test/gitops/fleet.test.ts runs the real flow).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFleet, waveOf } from './fleet-file.js';
import { waveGate, type AppliedTip } from './gate.js';
import { loadView, validateFleet, type FleetTree } from './view.js';

const KEY = 'admin@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ1mXcW0b7S0c8b1wJv9rT3mY8W2l0y6eS8C0zXH7r4K';
const FLEET = `version: 1
groups: { edge: {}, core: {} }
nodes:
  n1: { group: edge }
  n2: { group: edge, labels: { site: fra } }
  n3: { group: core }
  ha-a: { group: core, pair: ha1 }
  ha-b: { group: core, pair: ha1 }
waves:
  - { name: canary, nodes: [n1] }
  - { name: edge, groups: [edge] }
signing:
  allowedSigners: ["${KEY}"]
`;

const tree = (files: Record<string, string>): FleetTree => ({
  paths: Object.keys(files),
  read: async (p) => files[p] ?? '',
});

describe('fleet.yaml', () => {
  it('orders waves canary first; a node goes to the first wave that selects it; unselected nodes form the last wave', () => {
    const { fleet, diagnostics } = parseFleet('fleet.yaml', FLEET);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(fleet!.waves.map((w) => [w.name, w.nodes]), [['canary', ['n1']], ['edge', ['n2']], ['rest', ['n3', 'ha-a', 'ha-b']]]);
    assert.equal(waveOf(fleet!, 'n2'), 1);
    assert.deepEqual(fleet!.signers, [KEY]);
  });

  it('reports every mistake at once, located', () => {
    const text = `version: 2
nodes:
  "bad name": {}
  n1: { group: nope, colour: red }
waves:
  - { name: w1, nodes: [ghost] }
signing:
  allowedSigners: ["admin@example.com ssh-ed25519 AAAA\\nevil ssh-ed25519 BBBB"]
`;
    const { fleet, diagnostics } = parseFleet('fleet.yaml', text);
    assert.equal(fleet, undefined);
    const codes = diagnostics.map((d) => `${d.line}:${d.code}`).sort();
    assert.deepEqual(codes, ['1:FLEET_INVALID', '3:FLEET_INVALID', '4:FLEET_INVALID', '4:FLEET_UNKNOWN_GROUP', '6:FLEET_UNKNOWN_NODE', '8:FLEET_SIGNER_INVALID'].sort());
  });
});

describe('a node view', () => {
  const files = {
    'fleet.yaml': FLEET,
    'common/base.yaml': 'version: 1\npolicy:\n  drift: { mode: warn, interval: 60s }\nalerts:\n  - type: log\n',
    'groups/edge/scst.yaml': 'version: 1\nscst:\n  devices:\n    lun0: { handler: vdisk_nullio, dummy: true }\n    scratch: { handler: vdisk_nullio }\n',
    'nodes/n1/node.yaml': 'version: 1\nscst:\n  devices:\n    lun0: { handler: vdisk_nullio, dummy: false }\n    scratch: null\n',
    'nodes/n2/node.yaml': 'version: 1\nscst:\n  devices:\n    lun0: { handler: vdisk_nullio, blocksize: 4096x }\n',
    'groups/core/x.yaml': 'version: 1\n',
    'nodes/n3/x.yaml': 'version: 1\n',
    'nodes/ha1/x.yaml': 'version: 1\n',
  };

  it('layers common, group and node files: the node overrides a value, null removes one, positions name the overriding file', async () => {
    const r = await loadView(tree(files), 'n1');
    assert.ok(r.ok, JSON.stringify(r.diagnostics));
    assert.deepEqual(Object.keys(r.model.scst!.devices!), ['lun0']);
    assert.equal((r.model.scst!.devices!.lun0 as { dummy?: boolean }).dummy, false);
    assert.equal(r.model.policy?.drift?.mode, 'warn');
    assert.equal(r.sources.lookup(['scst', 'devices', 'lun0', 'dummy'])?.file, 'nodes/n1/node.yaml');
  });

  it('the two nodes of a pair read the same nodes/<pair>/ files, after their group\'s', async () => {
    for (const n of ['ha-a', 'ha-b']) {
      const r = await loadView(tree(files), n);
      assert.ok(r.ok, JSON.stringify(r.diagnostics));
      assert.deepEqual(r.files, ['common/base.yaml', 'groups/core/x.yaml', 'nodes/ha1/x.yaml']);
    }
  });

  it('validate checks every node; a mistake in one node file names that file and that node only', async () => {
    const r = await validateFleet(tree(files));
    assert.equal(r.ok, false);
    assert.deepEqual([...r.nodes].filter(([, ok]) => !ok).map(([n]) => n), ['n2']);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    assert.ok(errors.length > 0 && errors.every((d) => d.file === 'nodes/n2/node.yaml'), JSON.stringify(errors));
  });

  it('a node outside the fleet, or one without files, is a located diagnostic', async () => {
    const outside = await loadView(tree(files), 'n9');
    assert.equal(outside.ok, false);
    assert.equal(outside.diagnostics[0]!.code, 'FLEET_UNKNOWN_NODE');
    const bare = await loadView(tree({ 'fleet.yaml': FLEET }), 'n3');
    assert.equal(bare.diagnostics[0]!.code, 'FLEET_NODE_FILES');
  });
});

describe('wave gate', () => {
  const { fleet } = parseFleet('fleet.yaml', FLEET);
  const tips = (e: Record<string, AppliedTip>) => new Map(Object.entries(e));

  it('the canary goes first; later waves wait until every earlier node applied the revision', () => {
    assert.equal(waveGate({ fleet: fleet!, node: 'n1', revision: 'r2', applied: tips({}) }).go, true);
    const waiting = waveGate({ fleet: fleet!, node: 'n3', revision: 'r2', applied: tips({ n1: { revision: 'r2', ok: true }, n2: { revision: 'r1', ok: true } }) });
    assert.deepEqual(waiting, { go: false, wave: 'rest', because: 'waiting', blockingWave: 'edge', nodes: ['n2'] });
    assert.equal(waveGate({ fleet: fleet!, node: 'n3', revision: 'r2', applied: tips({ n1: { revision: 'r2', ok: true }, n2: { revision: 'r2', ok: true } }) }).go, true);
  });

  it('a failure in an earlier wave holds the later ones', () => {
    const held = waveGate({ fleet: fleet!, node: 'n2', revision: 'r2', applied: tips({ n1: { revision: 'r2', ok: false } }) });
    assert.deepEqual(held, { go: false, wave: 'edge', because: 'failed', blockingWave: 'canary', nodes: ['n1'] });
  });
});
