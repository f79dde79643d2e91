/**
 * The LVM driver on the sim host, with md below and SCST above: create order, one fullreport per
 * observe, lvmcache, lvextend carried up to SCST's resync_size, data-loss guards, holders, import,
 * a machine without lvm2, a missing PV as hardware drift.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Host } from '../../reconciler/host/host.js';
import { applyPlan, drift, loadAndPlan } from '../../reconciler/pipeline.js';
import { renderCommands } from '../../reconciler/render/index.js';
import { lvmDriver } from '../../drivers/lvm/index.js';
import { mdDriver } from '../../drivers/md/index.js';
import { scstDriver } from '../../drivers/scst/index.js';
import { createSimHost as newSimHost } from '../../drivers/sim/index.js';

const hosts: ReturnType<typeof newSimHost>[] = [];
const createSimHost = (...a: Parameters<typeof newSimHost>) => {
  const h = newSimHost(...a);
  hosts.push(h);
  return h;
};
after(() => Promise.all(hosts.map((h) => h.close())));

const drivers = [mdDriver, lvmDriver, scstDriver];
const yaml = (lvs: string, scst = true) => `version: 1
storage:
  md:
    md0: { level: raid1, devices: [/dev/sdb, /dev/sdc] }
  lvm:
    vg_data:
      pvs: [/dev/md0, /dev/nvme0n1]
      lvs:
${lvs}
${scst ? `scst:
  devices:
    vm: { handler: vdisk_blockio, filename: /dev/mapper/vg_data-vm }
  targets:
    iscsi:
      iqn.2026-01.com.example:vm: { enabled: true, luns: { 0: vm } }
` : ''}`;
const LVS = `        cache: { size: 100G, pvs: [/dev/nvme0n1] }
        vm: { size: 500G, pvs: [/dev/md0], cache: { pool: cache, mode: writethrough } }`;
const plan = (host: Host, text: string, allow: string[] = []) => loadAndPlan({ texts: [{ file: 'sanform.yaml', text }], host, drivers, node: 'esos-sim', allow });
const argvs = (p: { plan: { changes: { ops: unknown[] }[] } }) => p.plan.changes.flatMap((c) => c.ops.map((o) => (o as { argv?: string[] }).argv?.join(' ') ?? ''));

/** A Host that counts exec calls by the first word. */
function counting(host: Host): { host: Host; calls: string[] } {
  const calls: string[] = [];
  return { calls, host: new Proxy(host, { get: (t, k) => (k === 'exec' ? (argv: string[], o?: unknown) => (calls.push(argv[0]!), (t.exec as (a: string[], o?: unknown) => unknown)(argv, o)) : Reflect.get(t, k)) }) };
}

test('md -> LVM with lvmcache -> SCST converges from nothing; the next plan is empty; observe makes one fullreport', async () => {
  const host = createSimHost();
  const text = yaml(LVS);
  const p = await plan(host, text);
  assert.ok(p.ok, JSON.stringify(p));
  const order = p.plan.changes.map((c) => c.address);
  const at = (a: string) => order.indexOf(a);
  assert.ok(at('md/array/md0') < at('lvm/vg/vg_data') && at('lvm/vg/vg_data') < at('lvm/lv/vg_data/cache') && at('lvm/lv/vg_data/cache') < at('lvm/lv/vg_data/vm') && at('lvm/lv/vg_data/vm') < at('scst/device/vm'), order.join(' '));
  assert.deepEqual(argvs(p).filter((a) => /^(pv|vg|lv)/.test(a)), [
    'pvcreate /dev/md0', 'pvcreate /dev/nvme0n1', 'vgcreate vg_data /dev/md0 /dev/nvme0n1',
    'lvcreate -y --type cache-pool -L 100G -n cache vg_data /dev/nvme0n1',
    'lvcreate -y -L 500G -n vm vg_data /dev/md0',
    'lvconvert -y --type cache --cachepool vg_data/cache --cachemode writethrough vg_data/vm',
  ]);
  assert.match(renderCommands(p.plan), /lvconvert -y --type cache/);
  const r = await applyPlan({ host, plan: p.plan, drivers, checkStale: false });
  assert.equal(r.ok, true, JSON.stringify(r.results.filter((x) => x.status !== 'applied')));
  const c = counting(host);
  const again = await plan(c.host, text);
  assert.ok(again.ok);
  assert.deepEqual(again.plan.changes.map((x) => `${x.action} ${x.address}`), []);
  assert.deepEqual(again.plan.blocked, []);
  assert.equal(c.calls.filter((x) => x === 'lvm').length, 1, `exec calls: ${c.calls.join(' ')}`);

  // lvextend is benign and carried up to the SCST device on top in the same plan
  const grown = await plan(host, yaml(LVS.replace('size: 500G', 'size: 600G')));
  assert.ok(grown.ok);
  const vm = grown.plan.changes.find((x) => x.address === 'lvm/lv/vg_data/vm')!;
  assert.ok(vm, JSON.stringify({ changes: grown.plan.changes.map((x) => [x.address, x.fields]), blocked: grown.plan.blocked }));
  assert.deepEqual(vm.impact.map((i) => i.class), ['benign']);
  assert.deepEqual(argvs({ plan: { changes: [vm] } }), ['lvextend -L 600G vg_data/vm /dev/md0']);
  assert.ok(grown.plan.changes.some((x) => x.address === 'scst/device/vm' && x.fields.some((f) => f.field === 'resync_size')), grown.plan.changes.map((x) => x.address).join(' '));
  assert.equal((await applyPlan({ host, plan: grown.plan, drivers, checkStale: false })).ok, true);

  // a cache mode change is io-disruptive; lvreduce is data-loss
  const mode = await plan(host, yaml(LVS.replace('size: 500G', 'size: 600G').replace('writethrough', 'writeback')));
  assert.ok(mode.ok);
  const m = mode.plan.changes.find((x) => x.address === 'lvm/lv/vg_data/vm');
  const mb = mode.plan.blocked.find((x) => x.address === 'lvm/lv/vg_data/vm');
  assert.deepEqual((m?.impact ?? mb?.because ?? []).map((i) => i.class), ['io-disruptive'], JSON.stringify(mode.plan));
  if (m) assert.deepEqual(argvs({ plan: { changes: [m] } }), ['lvchange --cachemode writeback vg_data/vm']);
  const shrink = await plan(host, yaml(LVS.replace('size: 500G', 'size: 550G')));
  assert.ok(shrink.ok);
  const s = shrink.plan.blocked.find((x) => x.address === 'lvm/lv/vg_data/vm')!;
  assert.equal(s.because[0]?.class, 'data-loss', 'lvreduce waits for an approval');
  assert.match(s.because[0]!.detail, /lvreduce cuts vg_data\/vm from 600G to 550G/);

  // the LV cannot go while SCST uses it: the plan names the holder
  const held = await plan(host, yaml('        cache: { size: 100G, pvs: [/dev/nvme0n1] }'), ['lvm/lv/vg_data/vm']);
  assert.ok(held.ok);
  assert.ok(!held.plan.changes.some((x) => x.address === 'lvm/lv/vg_data/vm'));
  assert.match(JSON.stringify(held.plan.blocked.find((b) => b.address === 'lvm/lv/vg_data/vm')), /scst\/device\/vm|held|holder/, JSON.stringify(held.plan.blocked));

  // import writes the stack it finds; the plan from the imported file is empty
  const obs = await lvmDriver.observe(host);
  const imported = lvmDriver.importModel(obs);
  assert.deepEqual(imported.storage?.lvm?.vg_data?.lvs?.vm, { size: '600G', cache: { pool: 'cache', mode: 'writethrough', policy: 'smq' } });
  assert.deepEqual(imported.storage?.lvm?.vg_data?.lvs?.cache, { size: '100G' });
});

test('pvcreate over a file system is data-loss naming it; without the approval nothing is written', async () => {
  const host = createSimHost();
  await host.exec(['mdadm', '--create', '/dev/md9', '--run', '--level=raid1', '--raid-devices=2', '/dev/sdd', '/dev/sde']);
  await host.exec(['mdadm', '--stop', '/dev/md9']); // leaves linux_raid_member signatures on sdd, sde
  const text = `version: 1\nstorage:\n  lvm:\n    vg1: { pvs: [/dev/sdd], lvs: { a: { size: 1G } } }\n`;
  const p = await plan(host, text);
  assert.ok(p.ok);
  const vg = p.plan.blocked.find((c) => c.address === 'lvm/vg/vg1')!;
  assert.equal(vg.because[0]?.class, 'data-loss');
  assert.match(vg.because[0]!.detail, /pvcreate overwrites \/dev\/sdd \(holds linux_raid_member/);
  assert.deepEqual(p.plan.changes.map((c) => c.address), [], 'the LV waits for its VG');
  await applyPlan({ host, plan: p.plan, drivers, checkStale: false });
  assert.equal((await host.exec(['lvm', 'fullreport', '--reportformat', 'json'])).stdout.includes('vg1'), false);
  const ok = await plan(host, text, ['lvm/vg/vg1']);
  assert.ok(ok.ok);
  assert.deepEqual(argvs(ok).slice(0, 2), ['pvcreate -y /dev/sdd', 'vgcreate vg1 /dev/sdd']);
});

test('a machine without lvm2: every LVM change is unavailable with the reason, never an ENOENT at apply', async () => {
  const host = createSimHost({ hardware: { hostname: 'esos-sim', blockDevices: [{ path: '/dev/sdb', sizeBytes: 2 ** 40 }], fcPorts: [], srpPorts: [], fcoePorts: [], scsiDevices: [], lacks: ['lvm'] } });
  const p = await plan(host, `version: 1\nstorage:\n  lvm:\n    vg1: { pvs: [/dev/sdb] }\n`);
  assert.ok(p.ok);
  assert.deepEqual(p.plan.changes.filter((c) => c.driver === 'lvm'), []);
  const b = p.plan.blocked.find((x) => x.address === 'lvm/vg/vg1');
  assert.ok(b, JSON.stringify(p.plan.blocked));
  assert.match(JSON.stringify(b), /lvm2 is not installed/);
});

test('a pulled PV is hardware drift on the VG, with nothing planned', async () => {
  const host = createSimHost();
  const text = `version: 1\nstorage:\n  lvm:\n    vg1: { pvs: [/dev/sdf, /dev/sdg], lvs: { big: { size: 1500G } } }\n`;
  const p = await plan(host, text);
  assert.ok(p.ok);
  assert.equal((await applyPlan({ host, plan: p.plan, drivers, checkStale: false })).ok, true);
  await host.control.disk('unplug', '/dev/sdg');
  const d = await drift({ texts: [{ file: 'sanform.yaml', text }], host, drivers, node: 'esos-sim' });
  assert.ok(d.ok);
  assert.equal(d.classes?.get('lvm/vg/vg1')?.class, 'hardware');
  assert.deepEqual(d.plan.changes, []);
});
