import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command, CommandIO } from '../command.js';
import { str } from '../engine-io.js';
import { shellWord } from '../usage.js';
import { prepareWorkspace, type DemoWorkspace } from '../demo/workspace.js';
import { openSimHost } from '../../drivers/sim/index.js';

const IQN = 'iqn.2026-01.com.example:esos.vm';
const ESX1 = 'iqn.1998-01.com.vmware:esx1';

/**
 * A guided run on an emulated host: plan, apply, an empty re-plan, a change behind sanform's back
 * and the drift it finds. Every step is the real command a user would type, run in-process.
 */
export const demoCommand = {
  name: 'demo',
  summary: 'converge a fresh emulated SCST host from an example, show drift detection and a snapshot set',
  usage: `Usage: sanform demo [--dir DIR]

Creates a workspace (default: a new directory under the system temp dir) holding a copy of
examples/iscsi-chap.yaml, its secrets, a file-backed store and an emulated ESOS machine, then runs:
  sanform validate, plan, apply, plan (empty), a manual change on the "kernel", drift, plan,
  and the snapshot set it declares: taken by apply, listed with sanform snapshot list.
The workspace is left in place so you can repeat any step yourself: cd into it and run the steps
as printed, with ./sanform (a script there that runs this checkout's sanform with the demo's
secret environment; sanform is not an installed package there, so npx sanform would not work).

Options:
  --dir DIR   use DIR for the workspace (must be empty or absent)
`,
  options: { dir: { type: 'string' } },
  async run(args, io) {
    const dir = str(args, 'dir') ? resolve(io.cwd, str(args, 'dir')!) : await mkdtemp(join(tmpdir(), 'sanform-demo-'));
    if ((await readdir(dir).catch(() => [])).length > 0) {
      io.stderr.write(`sanform demo: ${dir} is not empty; give an empty or new --dir\n`);
      return 1;
    }
    const ws = await prepareWorkspace(dir);
    return runDemo(ws, io);
  },
} satisfies Command;

async function runDemo(ws: DemoWorkspace, outer: CommandIO): Promise<number> {
  const { main } = await import('../main.js');
  const io: CommandIO = { ...outer, cwd: ws.dir, env: { ...outer.env, ...ws.env } };
  const say = (text: string): void => void io.stdout.write(`${text}\n`);
  const host = ['--host', `sim:${ws.machine}`];
  const cfg = ['-c', ws.config];
  const step = async (title: string, argv: string[], expect: number[]): Promise<void> => {
    say(`${title ? `\n── ${title}\n` : ''}$ ${ws.launcher} ${argv.map(shellWord).join(' ')}`);
    const code = await main(argv, io);
    if (!expect.includes(code)) throw new Error(`'${ws.launcher} ${argv.join(' ')}' exited ${code}`);
  };

  say(`sanform demo: workspace ${ws.dir}`);
  say('It holds sanform.yaml (a copy of examples/iscsi-chap.yaml with its secret files and its');
  say('file-backed store moved into the workspace) and machine/, an emulated ESOS host with SCST,');
  say('two FC ports, an InfiniBand port and disks /dev/sdb../dev/sdh. Nothing touches this machine.');
  say(`The discovery CHAP secret comes from $SANFORM_CHAP_DISCOVERY, set for this demo.`);
  say(`Each step is printed as you can type it in the workspace: ${ws.launcher} is a script there that`);
  say(`sets $SANFORM_CHAP_DISCOVERY and runs this checkout's sanform: ${ws.runs}`);

  await step('A fresh, empty storage server', ['sim', 'init', ws.machine], [0]);
  say('\nIts btrfs file system with a subvolume of VM images, which sanform.yaml snapshots daily');
  say('(storage.snapshots.vm_images, keep the last 7):');
  await step('', ['sim', 'ctl', ws.machine, 'btrfs-mount', dirname(ws.images)], [0]);
  await step('', ['sim', 'ctl', ws.machine, 'exec', 'btrfs', 'subvolume', 'create', ws.images], [0]);
  await writeFile(join(ws.images, 'vm1.qcow2'), 'a small VM image\n');
  await step('1. Check the desired state', ['validate', ...cfg], [0]);
  await step('2. What would change? (dry run, nothing is written)', ['plan', ...cfg, ...host], [0]);
  await step('3. Converge the machine (and take the snapshot that is due)', ['apply', ...cfg, ...host, '--auto-approve'], [0]);
  await step('4. Plan again: the machine now matches the file', ['plan', ...cfg, ...host, '--detailed-exitcode'], [0]);

  say('\n── 5. Meanwhile, behind sanform\'s back');
  say('An ESXi host logs in, and an operator edits the live kernel by hand, the way scstadmin or the');
  say('ESOS TUI would: unmaps LUN 2 from group esx, rewrites the target\'s comment, and sets a');
  say('product id that sanform.yaml does not mention:');
  const sim = await openSimHost(resolve(ws.dir, ws.machine));
  try {
    await sim.control.login({ driver: 'iscsi', target: IQN, initiator: ESX1 });
    const tgt = `/sys/kernel/scst_tgt/targets/iscsi/${IQN}`;
    const writes: [string, string][] = [
      [`${tgt}/ini_groups/esx/luns/mgmt`, 'del 2'],
      [`${tgt}/comment`, 'temporary test'],
      ['/sys/kernel/scst_tgt/devices/vm_bulk/prod_id', 'BULK'],
    ];
    for (const [path, value] of writes) {
      say(`$ echo '${value}' > ${path}`);
      await sim.control.write(path, value);
    }
  } finally {
    await sim.close?.();
  }
  await step('6. sanform notices the drift (exit code 2)', ['drift', ...cfg, ...host], [2]);
  say('prod_id is not in the file, so it is not managed and not drift: unset means "leave it".');
  await step('7. The repair, with the exact kernel writes', ['plan', ...cfg, ...host, '--commands'], [0]);
  await step('8. Repair it', ['apply', ...cfg, ...host, '--auto-approve'], [0]);
  await step('9. Converged again', ['drift', ...cfg, ...host], [0]);
  await step('10. The snapshots of the set, read-only btrfs snapshots named by their schedule slot', ['snapshot', 'list', ...cfg, ...host], [0]);
  say('sanform watch takes the next one when it is due and prunes by keep: (docs/snapshots.md).');
  say(`\nThe workspace stays in ${ws.dir}. To run any step yourself:`);
  say(`  cd ${shellWord(ws.dir)} && ${ws.launcher} drift -c ${ws.config} --host sim:${ws.machine}`);
  const docs = fileURLToPath(new URL('../../', import.meta.url));
  say(`Next: ${ws.launcher} --help; in ${docs}: examples/, docs/ci.md (planning in CI), docs/esos.md (the appliance).`);
  return 0;
}
