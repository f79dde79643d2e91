/**
 * Observe DRBD in a fixed number of calls: `drbdsetup status --json` (roles, disk and connection
 * states, resync) and each configured resource's file from /etc/drbd.d. `drbdsetup show` is read
 * by drbdadm itself when it plans (preplan.ts).
 */
import type { Resource } from '../../reconciler/core/resource.js';
import type { Host } from '../../reconciler/host/host.js';
import { isErrno } from '../../reconciler/core/errors.js';
import { KIND, resourceAddr, resourceFile } from './address.js';
import { fileDigest, type DrbdResourceSpec } from './desired.js';
import { DrbdToolError, blocksUsers, parseStatus, unhealthy, type DrbdStatus } from './status.js';

/** The status of every resource; undefined when the machine has no DRBD (no tools, no module). */
export async function readStatus(host: Host): Promise<DrbdStatus[] | undefined> {
  let r;
  try {
    r = await host.exec(['drbdsetup', 'status', '--json']);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return undefined;
    throw e;
  }
  // 127: not installed (emulated machine); 20: drbd-utils without the kernel module
  if (r.exitCode === 127 || (r.exitCode === 20 && /module|No such file|could not connect/i.test(r.stderr))) return undefined;
  if (r.exitCode !== 0) throw new DrbdToolError(['drbdsetup', 'status', '--json'], r.exitCode, r.stderr);
  return parseStatus(r.stdout);
}

/** Lower disks per resource from `drbdsetup show` (`disk "/dev/...";` inside each resource). */
async function lowerDisks(host: Host): Promise<Map<string, string[]>> {
  const r = await host.exec(['drbdsetup', 'show']);
  const out = new Map<string, string[]>();
  if (r.exitCode !== 0) return out;
  for (const m of r.stdout.matchAll(/^resource\s+"?([^\s"{]+)"?\s*\{([\s\S]*?)^\}/gm)) {
    out.set(m[1]!, [...m[2]!.matchAll(/^\s*disk\s+"([^"]+)";/gm)].map((d) => d[1]!));
  }
  return out;
}

export async function observe(host: Host): Promise<Resource[]> {
  const status = await readStatus(host);
  const out: Resource[] = [];
  const disks = status?.length ? await lowerDisks(host) : new Map<string, string[]>();
  for (const s of status ?? []) {
    const file = await host.files.read(resourceFile(s.name));
    const spec: DrbdResourceSpec = { ...(file !== undefined ? { file: fileDigest(file) } : {}), role: s.role === 'Primary' ? 'primary' : 'secondary' };
    // disconnected, outdated or inconsistent, split brain: a hardware fault (reconciler/stack/fault.ts);
    // only a failed disk or a StandAlone connection stops what is built on the device
    const fault = unhealthy(s);
    const blocks = fault !== undefined && blocksUsers(s);
    out.push({ address: resourceAddr(s.name), kind: KIND, driver: 'drbd', spec: spec as unknown as Record<string, unknown>, status: { ...s, drbdDevices: s.devices.map((d) => `/dev/drbd${d.minor}`), lowerDisks: disks.get(s.name) ?? [], ...(fault ? { fault, faultBlocks: blocks } : {}) } as unknown as Record<string, unknown>, deps: [] });
  }
  return out;
}
