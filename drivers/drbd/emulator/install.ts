/**
 * Puts DRBD and Pacemaker on an emulated machine: `drbdsetup` and `drbdmeta` run against the
 * emulator's state; `drbdadm` is the real Debian drbdadm, made to plan against that state
 * (`FAKE_DRBDSETUP_SHOW` holds the emulated `drbdsetup show`, `__DRBD_NODE__` the node name) and
 * its commands fed to the emulated drbdsetup/drbdmeta; `crm_mon` is the real Pacemaker CLI on the
 * sim's CIB file (`CIB_file=`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { ExecOptions, ExecResult, FilesApi } from '../../../reconciler/host/host.js';
import { runTool, type Machine } from './drbdsetup.js';
import { renderShow } from './render.js';
import type { WorldStore } from './state.js';
import { readCluster, renderCib } from './cluster.js';

/** The part of a SimHost this needs (drivers/sim depends on us, not the other way round). */
export interface Installable {
  registerCommand(name: string, cmd: (argv: string[], opts: ExecOptions) => ExecResult | Promise<ExecResult>): void;
  readonly files: FilesApi;
}

export interface DrbdSim {
  store: WorldStore;
  machine: () => Machine;
  /** the pair's cluster directory (cluster.json, cib.xml); absent for an in-memory machine. */
  clusterDir?: string;
}

/** drbdadm options that take a value, and commands that only read the configuration. */
const WITH_VALUE = new Set(['-c', '--config-file', '-t', '--config-to-test', '-s', '--drbdsetup', '-m', '--drbdmeta']);
const READ_ONLY = /^(dump|dump-xml|sh-.*|hidden-commands)$/;

/** Splits one printed command line (drbdadm quotes arguments with spaces). */
export function splitLine(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

const NOISE = /^(modinfo: ERROR: .*|\s*found __DRBD_NODE__ in environment|\s*PRETENDING that I am .*)$/;
const clean = (s: string): string => s.split('\n').filter((l) => !NOISE.test(l)).join('\n').replace(/^\n+/, '');

async function drbdadm(sim: DrbdSim, files: FilesApi, argv: string[], opts: ExecOptions): Promise<ExecResult> {
  const args = argv.slice(1);
  let dry = false;
  let config: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-d' || a === '--dry-run') dry = true;
    else if (a === '-c' || a === '--config-file') config = args[++i];
    else if (WITH_VALUE.has(a)) i++;
    else if (a.startsWith('--config-file=')) config = a.slice('--config-file='.length);
    else rest.push(a);
  }
  const cmd = rest[0] ?? '';
  const res = (rest[rest.length - 1] ?? '').split('/')[0]!;
  const m = sim.machine();
  let input = opts.input;
  if (config !== '-' || input === undefined) {
    input = await files.read(config && config !== '-' ? config : `/etc/drbd.d/${res}.res`);
    if (input === undefined) return { exitCode: 10, stdout: '', stderr: `'${res}' not defined in your config (for this host).\n` };
  }
  const tmp = mkdtempSync(join(tmpdir(), 'sanform-drbdadm-'));
  try {
    const show = join(tmp, 'show');
    writeFileSync(show, sim.store.update((w) => renderShow(w, m.node)));
    const r = await execa('drbdadm', ['-c', '-', ...(READ_ONLY.test(cmd) ? [] : ['-d']), ...rest], {
      input, reject: false, env: { ...opts.env, FAKE_DRBDSETUP_SHOW: show, __DRBD_NODE__: m.node }, timeout: opts.timeoutMs ?? 60_000,
    });
    const out: ExecResult = { exitCode: r.exitCode ?? 1, stdout: r.stdout, stderr: clean(r.stderr) };
    if (dry || READ_ONLY.test(cmd) || out.exitCode !== 0) return out;
    // what drbdadm would have run, one command at a time, stopping at the first failure
    let stdout = '';
    for (const line of r.stdout.split('\n').filter((l) => l.trim())) {
      const step = sim.store.update((w) => runTool(w, m, splitLine(line)));
      stdout += step.stdout;
      if (step.exitCode !== 0) return { exitCode: step.exitCode, stdout, stderr: `${step.stderr}Command '${line}' terminated with exit code ${step.exitCode}\n` };
    }
    return { exitCode: 0, stdout, stderr: out.stderr };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The real crm_mon on a CIB rendered from the sim's cluster state and its DRBD resources. */
async function crmMon(sim: DrbdSim, argv: string[]): Promise<ExecResult> {
  const cluster = sim.clusterDir ? readCluster(sim.clusterDir) : undefined;
  if (!cluster) return { exitCode: 102, stdout: '', stderr: 'crm_mon: Not connected: no cluster is configured on this emulated machine (sanform sim link A B)\n' };
  const names = sim.store.update((w) => [...new Set(Object.values(w.nodes).flatMap((n) => Object.keys(n.resources)))].sort());
  const tmp = mkdtempSync(join(tmpdir(), 'sanform-cib-'));
  const cib = join(tmp, 'cib.xml');
  writeFileSync(cib, renderCib({ ...cluster, resources: names }));
  const r = await execa('crm_mon', argv.slice(1), { reject: false, env: { CIB_file: cib } }).finally(() => rmSync(tmp, { recursive: true, force: true }));
  return { exitCode: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** `blkid -p -o value -s TYPE DEV`: drbd where DRBD metadata is, a recorded signature, else exit 2. */
function blkid(sim: DrbdSim, argv: string[]): ExecResult {
  const dev = argv[argv.length - 1]!;
  const m = sim.machine();
  if (m.deviceSize(dev) === undefined) return { exitCode: 2, stdout: '', stderr: `${dev}: No such file or directory\n` };
  const type = sim.store.update((w) => (w.nodes[m.node]?.md[dev] ? 'drbd' : w.nodes[m.node]?.signatures?.[dev]));
  return type ? { exitCode: 0, stdout: `${type}\n`, stderr: '' } : { exitCode: 2, stdout: '', stderr: '' };
}

/** `blockdev --getsize64 DEV`. */
function blockdev(sim: DrbdSim, argv: string[]): ExecResult {
  const dev = argv[argv.length - 1]!;
  const size = sim.machine().deviceSize(dev);
  if (argv[1] !== '--getsize64' || size === undefined) return { exitCode: 1, stdout: '', stderr: `blockdev: cannot open ${dev}: No such file or directory\n` };
  return { exitCode: 0, stdout: `${size}\n`, stderr: '' };
}

export function installDrbd(host: Installable, sim: DrbdSim): void {
  host.registerCommand('blkid', (argv) => blkid(sim, argv));
  host.registerCommand('blockdev', (argv) => blockdev(sim, argv));
  const tool = (argv: string[]) => sim.store.update((w) => runTool(w, sim.machine(), argv));
  host.registerCommand('drbdsetup', tool);
  host.registerCommand('drbdmeta', tool);
  host.registerCommand('drbdadm', (argv, opts) => drbdadm(sim, host.files, argv, opts));
  host.registerCommand('crm_mon', (argv) => crmMon(sim, argv));
}
