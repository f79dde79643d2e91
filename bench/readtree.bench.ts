/**
 * readTree on the reference server's SCST tree (bench/gen-config.ts: 1,000 devices, 256 targets,
 * 10,000 LUN mappings, 500 initiators), built in a SimHost with raw mgmt writes, materialized on
 * tmpfs, then read three ways: the native addon, its JavaScript fallback (concurrent, bounded),
 * and a plain sequential Node fs.promises walk (readdir + lstat + readFile/readlink).
 * Target: native >= 3x the plain walk.
 *
 *   node --import tsx bench/readtree.bench.ts [--runs N] [--keep DIR]
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createSimHost, defaultHardware } from '../drivers/sim/index.js';
import { materialize } from '../drivers/sim/materialize.js';
import { fallbackHelper, nativeHelper, type SysfsHelper, type TreeEntry } from '../native/index.js';
import { SCST_ROOT, type Host } from '../reconciler/host/host.js';
import { generateLargeConfig } from './gen-config.js';
import { medianOf } from './timing.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const RUNS = Number(arg('--runs') ?? 3);
/** --keep DIR: materialize into DIR (kept afterwards, reused when it exists) */
const KEEP = arg('--keep');

interface Group { initiators?: string[]; luns?: Record<string, string> }
interface Target { relTgtId?: number; luns?: Record<string, string>; groups?: Record<string, Group> }
interface Device { handler: string; filename?: string; blocksize?: number }

/** The desired state as the raw SCST writes that create it (no reconciler involved). */
function mgmtWrites(text: string): Array<[string, string]> {
  const doc = parse(text) as { scst: { devices: Record<string, Device>; targets: { iscsi: Record<string, Target> } } };
  const w: Array<[string, string]> = [];
  for (const [name, d] of Object.entries(doc.scst.devices)) {
    const params = d.filename ? ` filename=${d.filename};blocksize=${d.blocksize ?? 512}` : '';
    w.push([`handlers/${d.handler}/mgmt`, `add_device ${name}${params}`]);
  }
  for (const [iqn, t] of Object.entries(doc.scst.targets.iscsi)) {
    const T = `targets/iscsi/${iqn}`;
    w.push(['targets/iscsi/mgmt', `add_target ${iqn}`]);
    if (t.relTgtId) w.push([`${T}/rel_tgt_id`, String(t.relTgtId)]);
    for (const [lun, dev] of Object.entries(t.luns ?? {})) w.push([`${T}/luns/mgmt`, `add ${dev} ${lun}`]);
    for (const [g, grp] of Object.entries(t.groups ?? {})) {
      w.push([`${T}/ini_groups/mgmt`, `create ${g}`]);
      for (const ini of grp.initiators ?? []) w.push([`${T}/ini_groups/${g}/initiators/mgmt`, `add ${ini}`]);
      for (const [lun, dev] of Object.entries(grp.luns ?? {})) w.push([`${T}/ini_groups/${g}/luns/mgmt`, `add ${dev} ${lun}`]);
    }
  }
  return w;
}

async function buildServer(): Promise<Host> {
  const { text, blockDevices } = generateLargeConfig();
  const hw = { ...defaultHardware(), blockDevices: blockDevices.map((path) => ({ path, sizeBytes: 2 ** 40 })) };
  const sim = createSimHost({ hardware: hw });
  for (const [path, cmd] of mgmtWrites(text)) await sim.sysfs.mgmt(`${SCST_ROOT}/${path}`, cmd);
  return sim;
}

/**
 * The baseline: what a straightforward Node program does to read the same information, one
 * awaited call after the other (readdir with types, lstat for the mode, readFile or readlink).
 */
async function plainWalk(dir: string): Promise<number> {
  let n = 0;
  for (const d of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    await lstat(p);
    n++;
    if (d.isDirectory()) n += await plainWalk(p);
    else if (d.isSymbolicLink()) await readlink(p);
    else await readFile(p, 'utf8').catch(() => '');
  }
  return n;
}

const medianMs = async (fn: () => Promise<unknown>): Promise<number> => (await medianOf(fn, RUNS)).wallMs;

const scratch = KEEP ?? mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'sanform-readtree-'));
try {
  const out = join(scratch, 'scst_tgt');
  if (!existsSync(out)) {
    let t0 = performance.now();
    const sim = await buildServer();
    console.log(`built the reference server in a SimHost: ${(performance.now() - t0).toFixed(0)} ms`);
    t0 = performance.now();
    const m = await materialize(sim, out);
    console.log(`materialized on ${scratch}: ${m.dirs} dirs, ${m.files} files, ${m.links} links in ${(performance.now() - t0).toFixed(0)} ms`);
  }
  const native = nativeHelper();
  const helpers = [native, fallbackHelper].filter((h): h is SysfsHelper => !!h);
  const results: TreeEntry[][] = [];
  for (const h of helpers) results.push(await h.readTree(out));
  if (results.length === 2) {
    const [a, b] = results as [TreeEntry[], TreeEntry[]];
    const differ = a.length !== b.length ? Math.abs(a.length - b.length) : a.filter((e, i) => JSON.stringify(e) !== JSON.stringify(b[i])).length;
    if (differ) throw new Error(`native and fallback disagree on ${differ} entries`);
  }
  const entries = results[0]!.length;
  const plainCount = (await plainWalk(out)) + 1;
  if (plainCount !== entries) throw new Error(`plain walk saw ${plainCount} entries, readTree ${entries}`);
  // the slow readers run once (tens of seconds each on a loaded VM); the addon takes the median
  const once = async (fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
  };
  const plainMs = await once(() => plainWalk(out));
  const times = new Map<string, number>();
  times.set('fallback', await once(() => fallbackHelper.readTree(out)));
  if (native) times.set('native', await medianMs(() => native.readTree(out)));
  console.log(`entries: ${entries}   native: median of ${RUNS} runs after a warm-up; fallback and plain walk: one run`);
  const row = (what: string, ms: number) =>
    console.log(`${what.padEnd(28)} ${ms.toFixed(1).padStart(8)} ms  ${((ms * 1000) / entries).toFixed(2).padStart(6)} us/entry  plain/this ${(plainMs / ms).toFixed(2)}x`);
  if (times.has('native')) row('readTree native addon', times.get('native')!);
  else console.log('readTree native addon        not built (JavaScript fallback only)');
  row('readTree JS fallback', times.get('fallback')!);
  row('plain fs.promises walk', plainMs);
  const ratio = times.has('native') ? plainMs / times.get('native')! : 0;
  console.log(`native vs plain walk: ${ratio.toFixed(2)}x (target >= 3x) ${ratio >= 3 ? 'PASS' : 'FAIL'}`);
  process.exitCode = ratio >= 3 ? 0 : 1;
} finally {
  if (!KEEP) rmSync(scratch, { recursive: true, force: true });
}
