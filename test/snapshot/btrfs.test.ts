/**
 * Snapshots and replication on real btrfs: two file systems on loop devices stand for the two
 * sites, the transport is a local command in place of ssh. Take, list, prune by retention, full
 * then incremental sends byte-compared on the receiver (the stream for a 1% change is about 1% of
 * the full one), and a cut stream resumed without the partial copy ever counting.
 * Needs root, losetup and mkfs.btrfs; skipped with the reason printed otherwise.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createLocalHost } from '../../reconciler/host/local.js';
import { deleteSubvolume, listSnapshots, takeSnapshot } from '../../drivers/snapshot/btrfs.js';
import { replicate, transportFor, type Transport } from '../../drivers/snapshot/replicate.js';
import { keep } from '../../drivers/snapshot/retention.js';
import { snapshotName } from '../../drivers/snapshot/schedule.js';
import { runCli } from '../engine/cli-run.js';
import { createSimHost } from '../../drivers/sim/index.js';
import { materialize } from '../../drivers/sim/materialize.js';
import { initRepo } from '../../reconciler/state/init.js';
import { readRecords } from '../../reconciler/state/history.js';
import { openStore } from '../../reconciler/state/store.js';
import { scstDriver } from '../../drivers/scst/index.js';
import { applyPlan, loadAndPlan } from '../../reconciler/pipeline.js';
import { snapshotRevert } from '../../cli/commands/snapshot-revert.js';
import type { Host } from '../../reconciler/host/host.js';
import { PassThrough } from 'node:stream';

const why = (() => {
  if (process.getuid?.() !== 0) return 'needs root (loop devices, mount)';
  for (const tool of ['losetup', 'mkfs.btrfs', 'btrfs', 'findmnt']) if (spawnSync('which', [tool]).status !== 0) return `${tool} is not installed (apt-get install btrfs-progs util-linux)`;
  return undefined;
})();
if (why) console.log(`# skipped: real btrfs tests: ${why}`);

const MiB = 1024 * 1024;
const at = (h: number) => new Date(Date.UTC(2026, 11, 4, h, 0));

describe('snapshots on real btrfs', { skip: why }, () => {
  const host = createLocalHost({ stateDir: '/nonexistent-unused' });
  let dir: string;
  const loops: string[] = [];
  const mounts: string[] = [];
  let A: string;
  let B: string;
  let store: string;
  const file = () => join(store, 'disk.img');

  const fs = (name: string): string => {
    const img = join(dir, `${name}.img`);
    execFileSync('truncate', ['-s', '400M', img]);
    const loop = execFileSync('losetup', ['-f', '--show', img], { encoding: 'utf8' }).trim();
    loops.push(loop);
    execFileSync('mkfs.btrfs', ['-q', loop], { stdio: 'ignore' });
    const mnt = join(dir, name);
    execFileSync('mkdir', ['-p', mnt]);
    execFileSync('mount', [loop, mnt]);
    mounts.push(mnt);
    return mnt;
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sanform-btrfs-'));
    A = fs('site-a');
    B = fs('site-b');
    execFileSync('mkdir', ['-p', join(B, 'replica')]);
    store = join(A, 'vm_store');
    execFileSync('btrfs', ['subvolume', 'create', store], { stdio: 'ignore' });
    writeFileSync(file(), randomBytes(32 * MiB));
  });
  after(() => {
    for (const m of mounts.reverse()) spawnSync('umount', [m]);
    for (const l of loops) spawnSync('losetup', ['-d', l]);
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (argv: string[]) => host.exec(argv);
  const onB = (name: string) => readFileSync(join(B, 'replica', name, 'disk.img'));
  const snapFile = (name: string) => readFileSync(join(A, name, 'disk.img'));

  it('takes read-only snapshots named by their slot, lists them newest first, prunes by retention', async () => {
    for (const h of [8, 9, 10]) await takeSnapshot(run, { subvolume: store, name: snapshotName('vm_store', at(h)) });
    const list = await listSnapshots(run, store);
    assert.deepEqual(list.map((s) => s.name), ['vm_store@2026-12-04T10:00Z', 'vm_store@2026-12-04T09:00Z', 'vm_store@2026-12-04T08:00Z']);
    assert.throws(() => writeFileSync(join(list[0]!.path, 'x'), 'x'), /EROFS|read-only/i);
    const kept = keep({ last: 2 }, list.map((s) => s.time));
    for (const [i, s] of list.entries()) if (!kept.has(i)) await deleteSubvolume(run, s.path);
    assert.deepEqual((await listSnapshots(run, store)).map((s) => s.name), ['vm_store@2026-12-04T10:00Z', 'vm_store@2026-12-04T09:00Z']);
  });

  it('replicates in full first, then only the changed blocks (a 1% change sends about 1%)', async () => {
    const full = await replicate(host, { subvolume: store, to: transportFor('local'), path: join(B, 'replica') });
    assert.equal(full.error, undefined);
    assert.deepEqual(full.sent.map((s) => s.name), ['vm_store@2026-12-04T10:00Z']);
    assert.ok(onB('vm_store@2026-12-04T10:00Z').equals(snapFile('vm_store@2026-12-04T10:00Z')));
    const fd = openSync(file(), 'r+');
    writeSync(fd, randomBytes(Math.round(0.01 * 32 * MiB)), 0, undefined, 7 * MiB);
    closeSync(fd);
    await takeSnapshot(run, { subvolume: store, name: snapshotName('vm_store', at(11)) });
    const inc = await replicate(host, { subvolume: store, to: transportFor('local'), path: join(B, 'replica') });
    assert.deepEqual(inc.sent.map((s) => [s.name, s.parent]), [['vm_store@2026-12-04T11:00Z', 'vm_store@2026-12-04T10:00Z']]);
    const ratio = inc.sent[0]!.bytes / full.sent[0]!.bytes;
    console.log(`# full stream ${full.sent[0]!.bytes} bytes, incremental for a 1% change ${inc.sent[0]!.bytes} bytes: ${(100 * ratio).toFixed(2)}%`);
    assert.ok(ratio > 0.005 && ratio < 0.03, `incremental is ${(100 * ratio).toFixed(2)}% of the full stream`);
    assert.ok(onB('vm_store@2026-12-04T11:00Z').equals(snapFile('vm_store@2026-12-04T11:00Z')));
    const again = await replicate(host, { subvolume: store, to: transportFor('local'), path: join(B, 'replica') });
    assert.deepEqual(again.sent, [], 'nothing new: nothing sent');
  });

  it('a cut stream leaves no copy that counts; the next run cleans it and resumes from the last complete one', async () => {
    const fd = openSync(file(), 'r+');
    writeSync(fd, randomBytes(2 * MiB), 0, undefined, 20 * MiB);
    closeSync(fd);
    await takeSnapshot(run, { subvolume: store, name: snapshotName('vm_store', at(12)) });
    // the receiver gets only the first 64 KiB of the stream, as when the link drops
    const cut: Transport = (argv) => (argv.includes('receive') ? ['sh', '-c', 'head -c 65536 | "$@"', 'cut', ...argv] : argv);
    const broken = await replicate(host, { subvolume: store, to: cut, path: join(B, 'replica') });
    assert.equal(broken.error?.code, 'REPLICATION_FAILED');
    assert.equal(broken.newestOnPeer, 'vm_store@2026-12-04T11:00Z');
    const resumed = await replicate(host, { subvolume: store, to: transportFor('local'), path: join(B, 'replica') });
    assert.deepEqual(resumed.cleaned, ['vm_store@2026-12-04T12:00Z'], 'the partial copy is removed, not kept');
    assert.deepEqual(resumed.sent.map((s) => [s.name, s.parent]), [['vm_store@2026-12-04T12:00Z', 'vm_store@2026-12-04T11:00Z']]);
    assert.ok(onB('vm_store@2026-12-04T12:00Z').equals(snapFile('vm_store@2026-12-04T12:00Z')));
  });

  it('sanform snapshot run over a simulated day: one snapshot per slot, retention here and on the peer, metrics', async () => {
    const cfg = join(dir, 'sanform.yaml');
    writeFileSync(cfg, `version: 1\nstorage:\n  snapshots:\n    vm:\n      btrfs: ${store}\n      every: 6h\n      keep: { last: 2 }\n      replicate: { to: local, path: ${join(B, 'replica')}, keep: { last: 3 } }\n`);
    const cli = (args: string[]) => runCli(dir, ['snapshot', ...args, '-c', cfg, '--host', 'local', '--auto-approve'], { ...process.env, NO_COLOR: '1' });
    for (const hour of [13, 14, 19, 23]) {
      const r = await cli(['run', '--now', new Date(Date.UTC(2026, 11, 4, hour, 30)).toISOString()]);
      assert.equal(r.code, 0, r.out + r.err);
    }
    const names = (await listSnapshots(run, store)).map((s) => s.name);
    assert.deepEqual(names, ['vm_store@2026-12-04T18:00Z', 'vm_store@2026-12-04T12:00Z'], 'two 6h slots taken, older ones pruned');
    const peer = (await cli(['list', '--now', '2026-12-04T23:45:00Z', '--textfile', join(dir, 'snap.prom')])).out;
    assert.match(peer, /vm_store@2026-12-04T18:00Z\s+345m old\s+replicated/);
    const prom = readFileSync(join(dir, 'snap.prom'), 'utf8');
    assert.match(prom, /sanform_snapshot_age_seconds\{set="vm"\} 20700/);
    assert.match(prom, /sanform_replication_lag_seconds\{set="vm"\} 20700/);
    const onPeer = execFileSync('ls', [join(B, 'replica')], { encoding: 'utf8' }).trim().split('\n');
    assert.equal(onPeer.length, 3, `the peer keeps its own last 3: ${onPeer.join(' ')}`);
  });

  it('plan shows what the snapshot sets would take, send and delete; apply does it; the next plan is empty', async () => {
    // an empty SCST tree (materialized from the emulator) stands for the kernel target; btrfs is real
    const sim = createSimHost();
    const tree = join(dir, 'scst-tree');
    await materialize(sim, tree);
    await sim.close();
    const cfg = join(dir, 'live.yaml');
    writeFileSync(cfg, `version: 1\nstorage:\n  snapshots:\n    vm:\n      btrfs: ${store}\n      every: 6h\n      keep: { last: 3 }\n      replicate: { to: local, path: ${join(B, 'replica')}, keep: { last: 3 } }\n`);
    const cli = (args: string[]) => runCli(dir, [...args, '-c', cfg, '--host', `local:${tree}`], { ...process.env, NO_COLOR: '1' });
    const peerBefore = execFileSync('ls', [join(B, 'replica')], { encoding: 'utf8' }).trim().split('\n');
    const planned = await cli(['plan', '--detailed-exitcode']);
    assert.equal(planned.code, 2, planned.out + planned.err);
    const due = /\+ (vm_store@\S+)\s+\(due; crash-consistent\)/.exec(planned.out)?.[1];
    assert.ok(due, planned.out);
    assert.match(planned.out, new RegExp(`> send ${due} to local:`));
    assert.match(planned.out, new RegExp(`- ${peerBefore[0]} on local:\\S+\\s+\\(the peer's retention`), 'the peer drops its oldest of 3 when the fourth arrives');
    assert.equal((await listSnapshots(run, store)).some((s) => s.name === due), false, 'plan took nothing');
    const applied = await cli(['apply', '--auto-approve']);
    assert.equal(applied.code, 0, applied.out + applied.err);
    assert.match(applied.out, new RegExp(`snapshot set vm: took ${due}`));
    assert.ok(snapFile(due).equals(onB(due)), 'the new snapshot arrived whole on the peer');
    const onPeer = execFileSync('ls', [join(B, 'replica')], { encoding: 'utf8' }).trim().split('\n');
    assert.equal(onPeer.length, 3);
    assert.ok(!onPeer.includes(peerBefore[0]!), `${peerBefore[0]} pruned on the peer`);
    const again = await cli(['plan', '--detailed-exitcode']);
    assert.equal(again.code, 0, again.out + again.err);
    assert.match(again.out, /nothing to do[\s\S]*holds every snapshot/);
  });

  it('revert: shown first and refused without approval; then the data is swapped under the exported device, whose identity, LUN and session stay', async () => {
    const sim = createSimHost();
    // real btrfs for the data, the SCST emulator for the kernel target (it opens backing files on the real file system)
    const both: Host = { ...host, id: 'btrfs+sim', sysfs: sim.sysfs, hostname: async () => 'esos-sim' };
    const IQN = 'iqn.2026-12.com.example:vm';
    const texts = [{ file: 'sanform.yaml', text: `version: 1\nscst:\n  devices:\n    vm1: { handler: vdisk_fileio, filename: ${file()}, t10DevId: vm1-id }\n  targets:\n    iscsi:\n      ${IQN}:\n        luns: { 0: vm1 }\n` }];
    const planned = await loadAndPlan({ texts, host: both, drivers: [scstDriver], node: 'esos-sim' });
    assert.ok(planned.ok, JSON.stringify(!planned.ok && planned.diagnostics));
    assert.equal((await applyPlan({ host: both, plan: planned.plan, drivers: [scstDriver], secrets: planned.secrets, stateDir: dir })).ok, true);
    await sim.control.login({ driver: 'iscsi', target: IQN, initiator: 'iqn.1998-01.com.vmware:esx1' });
    const fd = openSync(file(), 'r+');
    writeSync(fd, randomBytes(MiB), 0, undefined, 3 * MiB);
    closeSync(fd);
    const before = readFileSync(file());
    const target = (await listSnapshots(run, store))[0]!;
    assert.ok(!before.equals(snapFile(target.name)), 'the live data differs from the snapshot');
    const io = () => {
      const out = Object.assign(new PassThrough(), { isTTY: false });
      let text = '';
      out.on('data', (d) => (text += d));
      return { io: { stdout: out, stderr: out, stdin: Object.assign(new PassThrough(), { isTTY: false }), env: {}, cwd: dir }, text: () => text };
    };
    const spec = { btrfs: store, every: '6h', keep: { last: 2 } };
    const refused = io();
    assert.equal(await snapshotRevert({ host: both, io: refused.io, node: 'esos-sim', set: 'vm', spec, snapshot: target.name, now: at(23), autoApprove: false }), 1);
    assert.match(refused.text(), /\[DATA-LOSS\] \[IO-DISRUPT\] \[SESSION\][\s\S]*scst\/device\/vm1[\s\S]*LUN 0[\s\S]*logged in now: iqn.1998-01.com.vmware:esx1/);
    assert.ok(readFileSync(file()).equals(before), 'nothing changed without approval');
    const done = io();
    const repo = join(dir, 'state.git');
    await initRepo({ repo, node: 'esos-sim', host: 'local', sanform: ['sanform'] });
    assert.equal(await snapshotRevert({ host: both, io: done.io, node: 'esos-sim', set: 'vm', spec, snapshot: target.name, now: at(23), autoApprove: true, repo }), 0, done.text());
    const [rec] = await readRecords(await openStore(repo), { node: 'esos-sim', limit: 1, refs: ['applied'] });
    assert.equal(rec?.meta.kind, 'revert', 'the revert is recorded on the applied ref');
    assert.equal(rec?.meta.ok, true);
    assert.match(done.text(), new RegExp(`recorded as ${rec!.commit.slice(0, 12)} on refs/sanform/esos-sim/applied`));
    const outcome = execFileSync('git', ['--git-dir', repo, 'show', `${rec!.commit}:outcome.json`], { encoding: 'utf8' });
    assert.match(outcome, new RegExp(`"address": ?"snapshot/vm/${target.name}"[\\s\\S]*"status": ?"applied"`));
    assert.ok(readFileSync(file()).equals(snapFile(target.name)), 'the data is the snapshot\'s');
    assert.ok(readFileSync(join(A, 'vm_store@pre-revert-2026-12-04T23:00:00Z', 'disk.img')).equals(before), 'the safety snapshot holds the data before');
    assert.equal((await sim.sysfs.read('/sys/kernel/scst_tgt/devices/vm1/t10_dev_id')).split('\n')[0], 'vm1-id');
    assert.equal((await sim.sysfs.read('/sys/kernel/scst_tgt/devices/vm1/active')).split('\n')[0], '1');
    assert.match(await sim.sysfs.read('/sys/kernel/scst_tgt/devices/vm1/filename'), new RegExp(file()));
    const after = await loadAndPlan({ texts, host: both, drivers: [scstDriver], node: 'esos-sim' });
    assert.ok(after.ok && after.plan.changes.length === 0, 'the next plan is empty: nothing about the device changed');
    assert.deepEqual(await sim.sysfs.list(`/sys/kernel/scst_tgt/targets/iscsi/${IQN}/sessions`), ['iqn.1998-01.com.vmware:esx1']);
    await sim.close();
  });

  it('ssh transport quotes each word for the remote shell', () => {
    assert.deepEqual(transportFor('ssh:backup')(['btrfs', 'receive', "/srv/dr site/it's"]), ['ssh', '-o', 'BatchMode=yes', 'backup', '--', `btrfs receive '/srv/dr site/it'\\''s'`]);
    assert.throws(() => transportFor('ssh:-oProxyCommand=x'), /not a transport/);
  });
});
