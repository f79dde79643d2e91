/**
 * Snapshot sets under `sanform watch --once` on the emulated host: the cycle takes what is due,
 * exports `sanform_snapshot_age_seconds` per set in the metrics textfile, and a set whose
 * replication fails makes the cycle fail (exit 1) with a `scheduled-failed` alert. Then the lag
 * check (drivers/snapshot/metrics.ts) on the sim's btrfs: a peer more than two slots behind is lagging.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BtrfsEmulator, memoryBtrfsStore } from '../../drivers/snapshot/emulator.js';
import { longestGap, setGauges } from '../../drivers/snapshot/metrics.js';
import type { Host } from '../../reconciler/host/host.js';
import type { SnapshotSetSpec } from '../../schema/model.js';
import { makeWorld, sanform, YAML, type World } from '../gitops/helpers.js';

describe('snapshot sets in watch', () => {
  let w: World;
  let prom = '';
  before(async () => {
    w = await makeWorld('sanform-snap-watch-');
    prom = join(w.dir, 'metrics', 'sanform.prom');
    const srv = join(w.dir, 'srv');
    for (const args of [['btrfs-mount', srv], ['btrfs-mount', join(w.dir, 'backup')], ['exec', 'btrfs', 'subvolume', 'create', join(srv, 'a')], ['exec', 'btrfs', 'subvolume', 'create', join(srv, 'b')]]) {
      const r = sanform(['sim', 'ctl', w.sim, ...args]);
      assert.equal(r.status, 0, r.all);
    }
    const yaml = `${YAML.base}alerts:
  - { type: metrics, textfile: ${prom} }
storage:
  snapshots:
    a: { btrfs: ${srv}/a, every: 1h, keep: { last: 3 } }
    b: { btrfs: ${srv}/b, every: 1h, keep: { last: 3 }, replicate: { to: local, path: ${w.dir}/backup } }
`;
    const p = w.push(yaml, 'two snapshot sets');
    assert.equal(p.status, 0, p.all);
  });
  after(() => w?.cleanup());

  it('takes what is due, exports the age per set, and fails the cycle on a failed send', () => {
    const r = sanform(['watch', '--once', '--repo', w.repo, '--log-level', 'error']);
    assert.equal(r.status, 1, r.all);
    assert.match(r.all, /snapshot set a: took a@\S+/);
    assert.match(r.all, /snapshot set b: took b@\S+/);
    assert.match(r.all, /failed: snapshot set b: .*cannot run a send \| receive pipe/);
    const text = readFileSync(prom, 'utf8');
    for (const set of ['a', 'b']) {
      const age = new RegExp(`^sanform_snapshot_age_seconds\\{node="esos-a",set="${set}"\\} (\\d+)$`, 'm').exec(text)?.[1];
      assert.ok(age !== undefined && Number(age) < 3600, text);
    }
    assert.doesNotMatch(text, /sanform_replication_lag_seconds\{/, 'the peer holds no copy: no lag sample');
    assert.match(r.all, /"msg":"scheduled work failed"/, 'logged at error');
    assert.match(text, /^sanform_alerts_total\{node="esos-a"\} [1-9]/m, 'the scheduled-failed alert was raised');
  });
});

describe('the replication lag check', () => {
  const emu = new BtrfsEmulator(memoryBtrfsStore(), '/');
  const host = { exec: async (argv: string[]) => emu.exec(argv) } as unknown as Host;
  const root = join(process.env.TMPDIR ?? '/tmp', `sanform-snap-lag-${process.pid}`);
  const spec: SnapshotSetSpec = { btrfs: `${root}/srv/vm`, every: '1h', keep: { last: 9 }, replicate: { to: 'local', path: `${root}/peer` } };
  before(() => {
    mkdirSync(root, { recursive: true });
    emu.mount(`${root}/srv`);
    emu.mount(`${root}/peer`);
    assert.equal(emu.exec(['btrfs', 'subvolume', 'create', spec.btrfs]).exitCode, 0);
    for (const slot of ['2026-12-05T07:00Z', '2026-12-05T10:00Z']) assert.equal(emu.exec(['btrfs', 'subvolume', 'snapshot', '-r', spec.btrfs, `${spec.btrfs}@${slot}`]).exitCode, 0);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('gaps of at times and every', () => {
    assert.equal(longestGap({ ...spec, every: '6h' }), 6 * 3_600_000);
    assert.equal(longestGap({ btrfs: '/x', at: ['02:00', '14:00', '20:00'], keep: { last: 1 } }), 12 * 3_600_000);
  });

  it('a peer with no copy, or one more than two slots behind, is lagging; one slot behind is not', async () => {
    const now = new Date('2026-12-05T10:20:00Z');
    let [g] = await setGauges(host, [['vm', spec]], now);
    assert.equal(g!.snapshotAgeSeconds, 20 * 60);
    assert.equal(g!.replicationLagSeconds, undefined);
    assert.match(g!.lagging ?? '', /holds no complete copy/);
    // a received copy of 07:00 on the peer (the emulator does not receive: the registry says so)
    assert.equal(emu.exec(['btrfs', 'subvolume', 'snapshot', '-r', `${spec.btrfs}@2026-12-05T07:00Z`, `${root}/peer/vm@2026-12-05T07:00Z`]).exitCode, 1, 'no snapshot across file systems');
    assert.equal(emu.exec(['btrfs', 'subvolume', 'create', `${root}/peer/vm@2026-12-05T07:00Z`]).exitCode, 0);
    (emu as unknown as { store: { update(f: (s: { subvols: Record<string, { receivedUuid?: string }> }) => void): void } }).store.update((s) => {
      s.subvols[`${root}/peer/vm@2026-12-05T07:00Z`]!.receivedUuid = 'c0ffee00-0000-4000-8000-000000000007';
    });
    [g] = await setGauges(host, [['vm', spec]], now);
    assert.equal(g!.replicationLagSeconds, 3 * 3600 + 20 * 60);
    assert.match(g!.lagging ?? '', /vm@2026-12-05T07:00Z, is 200 min old/);
    [g] = await setGauges(host, [['vm', { ...spec, every: '2h' }]], now);
    assert.equal(g!.lagging, undefined, 'within two slots of 2h');
  });
});
