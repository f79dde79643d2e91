/**
 * The LVM emulator against real lvm2: the same command lines run on loop devices (lvm2 with
 * `activation = 0` in its own LVM_SYSTEM_DIR, whose filter admits only these loop devices, so the
 * host's disks are never seen) and on the emulated machine with disks of the same paths and
 * sizes. Exit codes, error messages and the fullreport fields the driver reads must agree.
 * Skips, saying why, only where loop devices (or lvm2) are missing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ExecResult } from '../../../reconciler/host/host.js';
import { StackKernel, initialStackState } from '../../sim/stack/kernel.js';

const MB = 1024 * 1024;
const SIZES = [200 * MB, 100 * MB, 64 * MB];

function sh(argv: string[], env?: NodeJS.ProcessEnv): ExecResult {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', env: { ...process.env, ...env, LC_ALL: 'C' }, input: '' });
  return { exitCode: r.status ?? (r.error ? 127 : 1), stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function whyNot(): string | undefined {
  if (process.getuid?.() !== 0) return 'loop devices need root';
  if (sh(['losetup', '--version']).exitCode !== 0) return 'losetup is missing';
  if (sh(['lvm', 'version']).exitCode === 127) return 'lvm2 is not installed';
  if (sh(['losetup', '-f']).exitCode !== 0) return 'no free loop device (losetup -f failed)';
  return undefined;
}

/** stderr lines that carry the error (lvm2's activation/backup warnings dropped). */
const errLines = (r: ExecResult): string[] =>
  r.stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/WARNING|File descriptor .* leaked|Run `.* --help'/.test(l));

const LV_FIELDS = ['lv_name', 'lv_full_name', 'lv_path', 'lv_dm_path', 'lv_parent', 'lv_layout', 'lv_role', 'lv_size', 'lv_metadata_size', 'origin', 'pool_lv', 'data_lv', 'metadata_lv', 'lv_health_status'];
const VG_FIELDS = ['vg_name', 'vg_size', 'vg_free', 'vg_extent_size', 'vg_extent_count', 'vg_free_count', 'pv_count', 'vg_missing_pv_count', 'lv_count', 'vg_attr'];
const PV_FIELDS = ['pv_name', 'dev_size', 'pe_start', 'pv_size', 'pv_free', 'pv_used', 'pv_pe_count', 'pv_pe_alloc_count', 'pv_missing', 'pv_in_use', 'pv_attr'];
const SEG_FIELDS = ['segtype', 'cache_mode', 'cache_policy', 'seg_start_pe', 'seg_size', 'seg_size_pe', 'devices'];

type Row = Record<string, string>;
const pick = (r: Row, fields: string[]): Record<string, string | undefined> => Object.fromEntries(fields.map((f) => [f, r[f]]));

/** The report as the driver sees it, uuids replaced by names (they differ between the two). */
function project(stdout: string): unknown {
  const rep = (JSON.parse(stdout) as { report: Record<string, Row[]>[] }).report;
  return rep.map((o) => {
    const lvName = new Map((o.lv ?? []).map((l) => [l.lv_uuid, l.lv_name]));
    const pvName = new Map((o.pv ?? []).map((p) => [p.pv_uuid, p.pv_name]));
    return {
      vg: (o.vg ?? []).map((v) => pick(v, VG_FIELDS)),
      pv: (o.pv ?? []).map((p) => pick(p, PV_FIELDS)),
      // the state and open columns (5th, 6th) say "unknown" without activation
      lv: (o.lv ?? []).map((l) => ({ ...pick(l, LV_FIELDS), lv_attr: `${l.lv_attr!.slice(0, 4)}..${l.lv_attr!.slice(6)}` })),
      seg: (o.seg ?? []).map((s): Record<string, string | undefined> => ({ ...pick(s, SEG_FIELDS), lv: lvName.get(s.lv_uuid!) })).sort((a, b) => (`${a.lv}/${String(a.seg_start_pe).padStart(9)}` < `${b.lv}/${String(b.seg_start_pe).padStart(9)}` ? -1 : 1)),
      pvseg: (o.pvseg ?? []).map((s) => ({ pv: pvName.get(s.pv_uuid!), start: s.pvseg_start, size: s.pvseg_size, lv: s.lv_uuid ? lvName.get(s.lv_uuid) : '' })).sort((a, b) => (`${a.pv}/${a.start.padStart(9)}` < `${b.pv}/${b.start.padStart(9)}` ? -1 : 1)),
    };
  });
}

const reason = whyNot();
if (reason) console.log(`# real lvm2 agreement skipped: ${reason}`);

test('the LVM emulator and real lvm2 agree on the same steps: reports, errors and exit codes', { skip: reason }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-lvm-real-'));
  const loops: string[] = [];
  try {
    SIZES.forEach((s, i) => {
      const f = join(dir, `disk${i}.img`);
      writeFileSync(f, '');
      assert.equal(sh(['truncate', '-s', String(s), f]).exitCode, 0);
      const r = sh(['losetup', '-f', '--show', f]);
      assert.equal(r.exitCode, 0, r.stderr);
      loops.push(r.stdout.trim());
    });
    const [A, B, C] = loops as [string, string, string];
    const filter = loops.map((l) => `"a|^${l}$|"`).join(', ');
    writeFileSync(join(dir, 'lvm.conf'), `global { activation = 0 }\ndevices { filter = [ ${filter}, "r|.*|" ] global_filter = [ ${filter}, "r|.*|" ] use_devicesfile = 0 obtain_device_list_from_udev = 0 }\nbackup { backup = 0 archive = 0 }\n`);
    const env = { LVM_SYSTEM_DIR: dir, LVM_SUPPRESS_FD_WARNINGS: '1' };

    // an ext4 file system on C (what pvcreate must refuse to overwrite without -y)
    const mkfs = sh(['mkfs.ext4', '-q', '-F', C]);
    const kernel = new StackKernel(initialStackState({ hostname: 'agree', blockDevices: loops.map((path, i) => ({ path, sizeBytes: SIZES[i]! })), fcPorts: [], srpPorts: [], fcoePorts: [], scsiDevices: [] }));
    if (mkfs.exitCode === 0) kernel.disks.setSignature(C, { type: 'ext4', offset: 1080 });

    const both = (argv: string[]) => ({ real: sh(argv, env), emu: kernel.exec(argv) });
    const step = (argv: string[], exit?: number) => {
      const { real, emu } = both(argv);
      const what = `${argv.join(' ')}\nreal: ${real.exitCode} ${real.stdout}${real.stderr}\nemulated: ${emu.exitCode} ${emu.stdout}${emu.stderr}`;
      assert.equal(emu.exitCode, real.exitCode, what);
      if (exit !== undefined) assert.equal(real.exitCode, exit, what);
      assert.deepEqual(errLines(emu), errLines(real), what);
    };
    const report = (when: string) => {
      const argv = ['lvm', 'fullreport', '--reportformat', 'json', '--units', 'b', '--nosuffix', '-a'];
      const { real, emu } = both(argv);
      assert.equal(real.exitCode, 0, real.stderr);
      assert.equal(emu.exitCode, 0, emu.stderr);
      assert.deepEqual(project(emu.stdout), project(real.stdout), `fullreport after ${when}`);
    };

    step(['pvcreate', A], 0);
    step(['pvcreate', A], 0);
    report('pvcreate');
    step(['vgcreate', 'vg_t', A], 0);
    step(['vgcreate', 'vg_u', A], 5);
    step(['vgcreate', 'vg_t', B], 5);
    step(['vgcreate', 'bad name', B], 3);
    step(['vgcreate', 'vg_v', '/dev/sanform-no-such-disk'], 5);
    if (mkfs.exitCode === 0) step(['pvcreate', C], 5);
    step(['lvcreate', '-L', '50M', '-n', 'lv1', 'vg_t'], 0);
    step(['lvcreate', '-L', '10M', '-n', 'lv1', 'vg_t'], 5);
    step(['lvcreate', '-L', '500M', '-n', 'big', 'vg_t'], 5);
    step(['lvcreate', '-L', '5M', '-n', 'snapshot1', 'vg_t'], 3);
    step(['lvcreate', '-L', '5M', '-n', 'x_tmeta', 'vg_t'], 3);
    step(['lvcreate', '-L', '5M', '-n', 'x_cdata', 'vg_t'], 3);
    step(['lvcreate', '-L', '5M', '-n', 'lv2', 'vg_none'], 5);
    report('lvcreate');
    step(['vgextend', 'vg_t', B], 0);
    step(['vgextend', 'vg_t', B], 5);
    step(['lvcreate', '--type', 'cache-pool', '-L', '20M', '-n', 'cpool', 'vg_t'], 0);
    step(['lvcreate', '-L', '40M', '-n', 'lv3', 'vg_t', B], 0);
    report('a cache pool and an LV on a named PV');
    step(['lvextend', '-L', '60M', 'vg_t/lv1'], 0);
    step(['lvextend', '-L', '40M', 'vg_t/lv1'], 5);
    step(['lvextend', '-L', '+1M', 'vg_t/lv1'], 0);
    step(['lvreduce', '-f', '-L', '40M', 'vg_t/lv1'], 0);
    step(['lvreduce', '-f', '-L', '80M', 'vg_t/lv1'], 5);
    step(['lvreduce', '-f', '-L', '40M', 'vg_t/lv1'], 5);
    step(['lvextend', '-L', '60M', 'vg_t/nope'], 5);
    report('lvextend and lvreduce');
    step(['lvremove', '-f', 'vg_t/lv3'], 0);
    step(['lvremove', '-f', 'vg_t/lv3'], 5);
    step(['pvcreate', A], 5);
    step(['pvremove', A], 5);
    step(['lvcreate', '-l', '100%FREE', '-n', 'rest', 'vg_t'], 0);
    step(['lvcreate', '-L', '4M', '-n', 'more', 'vg_t'], 5);
    step(['vgreduce', 'vg_t', B], 5);
    report('100%FREE');
    step(['vgremove', 'vg_t'], 5);
    if (mkfs.exitCode === 0) step(['pvcreate', '-y', C], 0);
    step(['vgcreate', '-s', '1M', 'vg_s', C], 0);
    step(['lvcreate', '-L', '1500K', '-n', 'odd', 'vg_s'], 0);
    report('a VG with 1 MiB extents');
    step(['lvremove', '-f', 'vg_t/rest', 'vg_t/lv1', 'vg_t/cpool'], 0);
    step(['vgremove', 'vg_t'], 0);
    step(['vgremove', '-f', 'vg_s'], 0);
    report('vgremove');
    step(['pvremove', A, B, C], 0);
    step(['pvremove', A], 5);
    report('pvremove');
  } finally {
    for (const l of loops) sh(['losetup', '-d', l]);
    rmSync(dir, { recursive: true, force: true });
  }
});
