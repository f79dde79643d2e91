/**
 * Snapshot sets on the emulated host (no root, no btrfs-progs): the sim's btrfs (agreeing with
 * real btrfs in btrfs-emulator.test.ts) under an SCST device whose backing file is in the
 * subvolume. plan shows the due snapshot, apply takes it with the device, the next plan is empty,
 * and a revert puts the data back under the device without changing its identity.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../engine/cli-run.js';

describe('snapshot sets on the emulated host', () => {
  let dir: string;
  const env = { ...process.env, NO_COLOR: '1' };
  const cli = (args: string[]) => runCli(dir, args, env);
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sanform-snap-sim-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('plan shows the due snapshot, apply takes it beside the device, the next plan is empty; revert keeps the device', async () => {
    const srv = join(dir, 'srv');
    const store = join(srv, 'vm_store');
    for (const args of [['sim', 'init', 'machine'], ['sim', 'ctl', 'machine', 'btrfs-mount', srv], ['sim', 'ctl', 'machine', 'exec', 'btrfs', 'subvolume', 'create', store]]) {
      const r = await cli(args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.out}${r.err}`);
    }
    writeFileSync(join(store, 'disk.img'), 'before'.padEnd(4096, '.'));
    writeFileSync(join(dir, 'sanform.yaml'), [
      'version: 1',
      'scst:',
      '  devices:',
      `    vm1: { handler: vdisk_fileio, filename: ${store}/disk.img, t10DevId: vm1-id }`,
      '  targets:',
      '    iscsi:',
      '      iqn.2026-12.com.example:vm: { luns: { 0: vm1 } }',
      'storage:',
      '  snapshots:',
      `    vm: { btrfs: ${store}, every: 6h, keep: { last: 2 } }`,
      '',
    ].join('\n'));
    const host = ['--host', 'sim:machine'];
    const planned = await cli(['plan', ...host, '--detailed-exitcode']);
    assert.equal(planned.code, 2, planned.out + planned.err);
    const due = /\+ (vm_store@\S+)\s+\(due; crash-consistent\)/.exec(planned.out)?.[1];
    assert.ok(due, planned.out);
    const applied = await cli(['apply', ...host, '--auto-approve']);
    assert.equal(applied.code, 0, applied.out + applied.err);
    assert.match(applied.out, new RegExp(`snapshot set vm: took ${due}`));
    assert.equal(readFileSync(join(srv, due, 'disk.img'), 'utf8').slice(0, 6), 'before');
    const again = await cli(['plan', ...host, '--detailed-exitcode']);
    assert.equal(again.code, 0, again.out + again.err);
    assert.match(again.out, /nothing to do: 1 snapshot\(s\), the newest vm_store@/);
    const listed = await cli(['snapshot', 'list', ...host]);
    assert.match(listed.out, new RegExp(`snapshot set vm \\(${store}\\): 1 snapshot\\(s\\)\\n  ${due}`));

    writeFileSync(join(store, 'disk.img'), 'after!'.padEnd(4096, '.'));
    const reverted = await cli(['snapshot', 'revert', 'vm', due, ...host, '--auto-approve']);
    assert.equal(reverted.code, 0, reverted.out + reverted.err);
    assert.match(reverted.out, /scst\/device\/vm1\s+active 1 -> 0 -> 1/);
    assert.equal(readFileSync(join(store, 'disk.img'), 'utf8').slice(0, 6), 'before', 'the data is the snapshot\'s again');
    const safety = /the data before is in (\S+)/.exec(reverted.out)?.[1];
    assert.ok(safety && readFileSync(join(srv, safety, 'disk.img'), 'utf8').startsWith('after!'), 'the safety snapshot holds the data before');
    const last = await cli(['plan', ...host, '--detailed-exitcode']);
    assert.equal(last.code, 0, `the device is unchanged and the safety snapshot is outside the schedule: ${last.out}${last.err}`);
  });

  it('apply of a saved plan takes what is due now but deletes only the snapshots the saved plan showed', async () => {
    const srv = join(dir, 'srv2');
    const store = join(srv, 'db');
    const cfg = join(dir, 'saved.yaml');
    writeFileSync(cfg, ['version: 1', 'storage:', '  snapshots:', `    db: { btrfs: ${store}, every: 1h, keep: { last: 2 } }`, ''].join('\n'));
    const host = ['--host', 'sim:machine', '-c', cfg];
    for (const args of [['sim', 'ctl', 'machine', 'btrfs-mount', srv], ['sim', 'ctl', 'machine', 'exec', 'btrfs', 'subvolume', 'create', store]]) assert.equal((await cli(args)).code, 0);
    const snap = async (slot: string) => assert.equal((await cli(['sim', 'ctl', 'machine', 'exec', '--', 'btrfs', 'subvolume', 'snapshot', '-r', store, `${store}@${slot}`])).code, 0);
    await snap('2026-12-05T08:00Z');
    await snap('2026-12-05T09:00Z');
    const saved = await cli(['plan', ...host, '--now', '2026-12-05T10:05:00Z', '--out', 'db-plan.json', '--detailed-exitcode']);
    assert.equal(saved.code, 2, saved.out + saved.err);
    assert.match(saved.out, /\+ db@2026-12-05T10:00Z .*\n  - db@2026-12-05T08:00Z /);
    const shown = await cli(['show', 'db-plan.json', '--json']);
    assert.deepEqual(JSON.parse(shown.out).snapshotSets.map((s: { set: string; take: string; prune: string[] }) => [s.set, s.take, s.prune]), [['db', 'db@2026-12-05T10:00Z', ['db@2026-12-05T08:00Z']]]);
    // an hour later, before the saved plan is applied: retention would now drop 08:00 and 09:00
    const applied = await cli(['apply', 'db-plan.json', '--host', 'sim:machine', '--now', '2026-12-05T11:05:00Z', '--auto-approve']);
    assert.equal(applied.code, 0, applied.out + applied.err);
    assert.match(applied.out, /snapshot set db: took db@2026-12-05T11:00Z/);
    assert.match(applied.out, /snapshot set db: deleted db@2026-12-05T08:00Z\n/);
    const listed = await cli(['snapshot', 'list', ...host, '--now', '2026-12-05T11:05:00Z']);
    assert.deepEqual([...listed.out.matchAll(/^  (db@\S+)/gm)].map((m) => m[1]), ['db@2026-12-05T11:00Z', 'db@2026-12-05T09:00Z'], 'the 09:00 snapshot the saved plan did not show as deleted is still there');
  });
});
