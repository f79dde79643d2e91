/**
 * The real tool plans DRBD's own diff. Before the pure planner runs, for each desired resource:
 * `drbdadm dump` checks the rendered file (a parse error comes back at the YAML line that wrote
 * the offending line), `drbdadm -d adjust` lists the exact drbdsetup/drbdmeta commands that
 * would make the kernel match the file, and for a resource not yet up, whether each lower disk
 * already carries DRBD metadata or some other signature (data a create-md would destroy).
 */
import type { PreplanInput, PreplanIssue } from '../../reconciler/core/driver.js';
import type { Resource } from '../../reconciler/core/resource.js';
import type { Host } from '../../reconciler/host/host.js';
import { isErrno } from '../../reconciler/core/errors.js';
import type { SanformModel } from '../../schema/model.js';
import { resourceName } from './address.js';
import { contentOf, type DrbdFacts } from './desired.js';
import { renderResource } from './render.js';
import type { DrbdStatus } from './status.js';

const lines = (s: string): string[] => s.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

async function checkDump(host: Host, model: SanformModel, name: string, text: string): Promise<PreplanIssue | undefined | 'no-tool'> {
  let r;
  try {
    r = await host.exec(['drbdadm', '-c', '-', 'dump', name], { input: text });
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return 'no-tool';
    throw e;
  }
  if (r.exitCode === 127) return 'no-tool';
  if (r.exitCode === 0) return undefined;
  const m = /(?:STDIN|-):(\d+): (.*(?:\n\t.*)*)/.exec(r.stderr);
  const line = m ? Number(m[1]) : 0;
  const spec = model.storage!.drbd![name]!;
  const path = renderResource(model, name, spec).lines.get(line) ?? ['storage', 'drbd', name];
  const rendered = text.split('\n')[line - 1]?.trim();
  return {
    path, code: 'DRBD_CONFIG_INVALID',
    message: `drbdadm rejects the resource file sanform writes for ${name}${rendered ? ` at \`${rendered}\`` : ''}: ${(m?.[2] ?? r.stderr.trim()).replace(/\s+/g, ' ')}`,
    hint: 'check the option name and value against drbd.conf(5) (DRBD 9); options are written as section/option: value',
  };
}

async function volumeFacts(host: Host, model: SanformModel, name: string, facts: DrbdFacts): Promise<void> {
  for (const [vol, v] of Object.entries(model.storage!.drbd![name]!.volumes)) {
    const minor = /(\d+)$/.exec(v.device)?.[1] ?? '0';
    const md = await host.exec(['drbdmeta', minor, 'v09', v.disk, v.metaDisk ?? 'internal', 'get-gi']);
    (facts.metadata ??= {})[vol] = md.exitCode === 0;
    if (md.exitCode === 0) continue;
    const sig = await host.exec(['blkid', '-p', '-o', 'value', '-s', 'TYPE', v.disk]);
    if (sig.exitCode === 0 && sig.stdout.trim()) (facts.signature ??= {})[vol] = sig.stdout.trim();
  }
}

async function grownVolumes(host: Host, model: SanformModel, name: string, status: DrbdStatus): Promise<string[]> {
  const out: string[] = [];
  for (const d of status.devices) {
    const v = model.storage!.drbd![name]!.volumes[String(d.volume)];
    if (!v) continue;
    const r = await host.exec(['blockdev', '--getsize64', v.disk]);
    if (r.exitCode === 0 && Math.floor(Number(r.stdout.trim()) / 1024) > d.sizeKiB) out.push(String(d.volume));
  }
  return out;
}

export async function preplan(input: PreplanInput): Promise<PreplanIssue[]> {
  const { host, model } = input;
  const issues: PreplanIssue[] = [];
  if (!host) return issues;
  for (const r of input.desired as Resource[]) {
    if (r.driver !== 'drbd') continue;
    const name = resourceName(r.address);
    const text = contentOf(r);
    const bad = await checkDump(host, model, name, text);
    if (bad === 'no-tool') return issues;
    if (bad) {
      issues.push(bad);
      continue;
    }
    const adjust = await host.exec(['drbdadm', '-c', '-', '-d', 'adjust', name], { input: text });
    const facts: DrbdFacts = { adjust: adjust.exitCode === 0 ? lines(adjust.stdout) : [] };
    const live = input.observed.resources.get(r.address);
    if (!live) await volumeFacts(host, model, name, facts);
    else facts.grown = await grownVolumes(host, model, name, live.status as unknown as DrbdStatus);
    r.status = { ...r.status, tool: facts };
  }
  return issues;
}
