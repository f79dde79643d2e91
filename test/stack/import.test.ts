/**
 * `sanform import` writes the storage stack (md arrays, bcache, btier) next to SCST, and the
 * plan right after is empty: on a sim machine whose stack sanform built, and on one built by
 * running the tools directly (`sanform sim ctl DIR exec ...`, raw sysfs writes).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { parse } from 'yaml';
import { runCli } from '../engine/cli-run.js';

const tmp = mkdtempSync(join(tmpdir(), 'sanform-stack-import-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const STACK = `version: 1
storage:
  md:
    md0: { level: raid1, devices: [/dev/sdb, /dev/sdc] }
    md1: { level: raid5, devices: [/dev/sdd, /dev/sde, /dev/sdf], chunk: 64K }
  bcache:
    bcache0: { backing: /dev/md1, cache: /dev/nvme0n1, mode: writeback, attributes: { sequential_cutoff: 0 } }
  btier:
    sdtiera: { devices: [/dev/sdg, /dev/md0], attributes: { migration_interval: 3600 } }
scst:
  devices:
    cached: { handler: vdisk_blockio, filename: /dev/bcache0 }
    tiered: { handler: vdisk_blockio, filename: /dev/sdtiera }
  targets:
    iscsi:
      iqn.2026-01.com.example:stack: { luns: { 0: cached, 1: tiered } }
`;

/** runs sanform in `dir`, failing the test with both streams on an unexpected exit code. */
async function ok(dir: string, argv: string[], code = 0): Promise<string> {
  const r = await runCli(dir, argv);
  assert.equal(r.code, code, `sanform ${argv.join(' ')}: exit ${r.code}\n${r.out}\n${r.err}`);
  return r.out;
}

/** `sanform import` of the machine, then `plan --detailed-exitcode` of what it wrote: exit 0. */
async function importAndPlan(dir: string): Promise<Record<string, unknown>> {
  await ok(dir, ['import', '--host', 'sim:m', '--node', 'esos-sim', '--out', 'imported.yaml']);
  await ok(dir, ['plan', '-c', 'imported.yaml', '--host', 'sim:m', '--node', 'esos-sim', '--detailed-exitcode']);
  return parse(readFileSync(join(dir, 'imported.yaml'), 'utf8')) as Record<string, unknown>;
}

test('import of a stack sanform built: md, bcache and btier sections as declared, the next plan empty', async () => {
  const dir = mkdtempSync(join(tmp, 'applied-'));
  writeFileSync(join(dir, 'sanform.yaml'), STACK);
  await ok(dir, ['sim', 'init', 'm']);
  await ok(dir, ['apply', '-c', 'sanform.yaml', '--host', 'sim:m', '--node', 'esos-sim', '--auto-approve']);
  const model = await importAndPlan(dir);
  assert.deepEqual(model.storage, parse(STACK).storage);
  assert.deepEqual(Object.keys((model.scst as { devices: object }).devices).sort(), ['cached', 'tiered']);
});

test('import of a stack made with the tools behind sanform\'s back: written, and the next plan is empty', async () => {
  const dir = mkdtempSync(join(tmp, 'tools-'));
  await ok(dir, ['sim', 'init', 'm']);
  const sh = (...argv: string[]) => ok(dir, ['sim', 'ctl', 'm', 'exec', '--', ...argv]);
  await sh('mdadm', '--create', '/dev/md/data', '--run', '--level=raid10', '--raid-devices=4', '--chunk=256', '/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/sde');
  await sh('make-bcache', '-B', '/dev/md127', '-C', '/dev/nvme0n1');
  await ok(dir, ['sim', 'ctl', 'm', 'write', '/sys/fs/bcache/register', '/dev/md127']);
  await ok(dir, ['sim', 'ctl', 'm', 'write', '/sys/fs/bcache/register', '/dev/nvme0n1']);
  await sh('btier_setup', '-f', '/dev/sdf:/dev/sdg', '-c');
  await ok(dir, ['sim', 'ctl', 'm', 'write', 'handlers/vdisk_blockio/mgmt', 'add_device cached filename=/dev/bcache0']);
  await ok(dir, ['sim', 'ctl', 'm', 'write', 'handlers/vdisk_blockio/mgmt', 'add_device tiered filename=/dev/sdtiera']);
  const model = await importAndPlan(dir);
  assert.deepEqual(model.storage, {
    md: { data: { level: 'raid10', devices: ['/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/sde'], chunk: '256K' } },
    bcache: { bcache0: { backing: '/dev/md127', cache: '/dev/nvme0n1', mode: 'writethrough' } },
    btier: { sdtiera: { devices: ['/dev/sdf', '/dev/sdg'] } },
  });
});

test('import of examples/tiered-backend.yaml applied (md, LVM with lvmcache, bcache, btier): the next plan is empty', async () => {
  const dir = mkdtempSync(join(tmp, 'tiered-'));
  const example = fileURLToPath(new URL('../../examples/tiered-backend.yaml', import.meta.url));
  await ok(dir, ['sim', 'init', 'm', '--files-for', example]);
  await ok(dir, ['apply', '-c', example, '--host', 'sim:m', '--node', 'esos-sim', '--auto-approve']);
  const model = await importAndPlan(dir);
  const storage = model.storage as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(storage).sort(), ['bcache', 'btier', 'lvm', 'md']);
  assert.deepEqual(Object.keys(storage.md!).sort(), ['md0', 'md1']);
});
