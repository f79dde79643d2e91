/** Builds a case's machine from live.txt and renders its plan (see README.md). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Plan } from '../../reconciler/core/change.js';
import { parseSize } from '../../reconciler/load/units.js';
import { applyPlan, loadAndPlan } from '../../reconciler/pipeline.js';
import { ownEverything } from '../golden/harness.js';
import { renderCommands, renderText } from '../../reconciler/render/index.js';
import { bcacheDriver } from '../../drivers/bcache/index.js';
import { btierDriver } from '../../drivers/btier/index.js';
import { StackTestHost } from '../../drivers/sim/stack-test-host.js';
import { lvmDriver } from '../../drivers/lvm/index.js';
import { mdDriver } from '../../drivers/md/index.js';
import { createSimHost, defaultHardware } from '../../drivers/sim/index.js';
import type { Host } from '../../reconciler/host/host.js';

export const DRIVERS = [bcacheDriver, btierDriver];
/** Cases whose live.txt starts with `host sim`: the full emulated machine and every storage driver. */
export const SIM_DRIVERS = [mdDriver, lvmDriver, bcacheDriver, btierDriver];

/**
 * `host sim [lacks=LAYER,...]` first, then steps on the default emulated machine: `run ARGV...`
 * (any tool: mdadm, pvcreate, lvcreate ...) and `unplug PATH` (a disk pulled out).
 */
async function buildSim(text: string): Promise<Host & { close(): Promise<void> }> {
  const lines = text.split('\n').map((l) => l.trim());
  const lacks = /lacks=(\S+)/.exec(lines[0] ?? '')?.[1]?.split(',') ?? [];
  const host = createSimHost({ hardware: { ...defaultHardware(), ...(lacks.length ? { lacks } : {}) } });
  for (const [i, line] of lines.entries()) {
    if (i === 0 || !line || line.startsWith('#')) continue;
    const [verb, ...a] = line.split(/\s+/) as [string, ...string[]];
    const fail = (m: string) => new Error(`live.txt:${i + 1}: ${line}: ${m}`);
    if (verb === 'run') {
      const r = await host.exec(a);
      if (r.exitCode !== 0) throw fail(r.stderr);
    } else if (verb === 'unplug') await host.control.disk('unplug', a[0]!);
    else throw fail(`unknown step '${verb}'`);
  }
  return host;
}

export function buildMachine(text: string): StackTestHost {
  const lines = text.split('\n').map((l) => l.trim());
  const mods = new Set(lines.filter((l) => l.startsWith('no-module ')).map((l) => l.split(/\s+/)[1]));
  const host = new StackTestHost([], { bcache: !mods.has('bcache'), btier: !mods.has('btier') });
  for (const [i, line] of lines.entries()) {
    if (!line || line.startsWith('#') || line.startsWith('no-module ')) continue;
    const [verb, ...a] = line.split(/\s+/) as [string, ...string[]];
    const fail = (m: string) => new Error(`live.txt:${i + 1}: ${line}: ${m}`);
    if (verb === 'disk') host.disks.add({ path: a[0] as string, sizeBytes: parseSize(a[1]) ?? 0 }, []);
    else if (verb === 'sig') host.disks.setSignature(a[0] as string, { type: a[1] as string, ...(a[2] ? { uuid: a[2] } : {}), offset: 0 });
    else if (verb === 'run') {
      const r = a[0] === 'btier_setup' ? host.btier.exec(a) : host.bcache.exec(a);
      if (r.exitCode !== 0) throw fail(r.stderr);
    } else if (verb === 'write') host.bcache.fs.write((a[0] as string).replace(/^\/sys\//, ''), a.slice(1).join(' '));
    else if (verb === 'dirty') host.bcache.kernel.setDirty(a[0] as string, parseSize(a[1]) ?? 0);
    else if (verb === 'cache-gone') {
      host.bcache.kernel.cacheGone(a[0] as string);
      host.disks.remove(a[0] as string);
    }
    else throw fail(`unknown step '${verb}'`);
  }
  return host;
}

export async function renderCase(dir: string): Promise<{ text: string; plan: Plan; host: Host & { close(): Promise<void> }; converge: () => Promise<Plan> }> {
  const yaml = await readFile(join(dir, 'desired.yaml'), 'utf8');
  const live = await readFile(join(dir, 'live.txt'), 'utf8').catch(() => '');
  const sim = live.startsWith('host sim');
  const host = sim ? await buildSim(live) : buildMachine(live);
  const drivers = sim ? SIM_DRIVERS : DRIVERS;
  // the live objects are sanform's (a machine it configured before): prune may delete them
  await ownEverything(host, drivers);
  const run = () => loadAndPlan({ texts: [{ file: 'desired.yaml', text: yaml }], host, drivers, node: 'esos-a' });
  const out = await run();
  if (!out.ok) throw new Error(`invalid desired.yaml: ${out.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`).join('; ')}`);
  const text = `${renderText(out.plan)}\n${renderCommands(out.plan, { fingerprint: (n) => out.secrets.fingerprint(n) })}`;
  const converge = async (): Promise<Plan> => {
    const res = await applyPlan({ host, plan: out.plan, drivers, secrets: out.secrets });
    const failed = res.results.filter((r) => r.status === 'failed');
    if (failed.length) throw new Error(`apply failed: ${JSON.stringify(failed).slice(0, 600)}`);
    const again = await run();
    if (!again.ok) throw new Error('desired.yaml became invalid');
    return again.plan;
  };
  return { text, plan: out.plan, host, converge };
}
