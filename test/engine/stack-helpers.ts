/**
 * Helpers of the storage-stack engine tests (convergence property, fault injection): a small
 * universe of md arrays, a bcache device, a btier device and SCST devices on them, as YAML, and
 * plan/apply with the md, bcache, btier and SCST drivers on the emulated machine.
 */
import { stringify } from 'yaml';
import { mdDriver } from '../../drivers/md/index.js';
import { bcacheDriver } from '../../drivers/bcache/index.js';
import { btierDriver } from '../../drivers/btier/index.js';
import { scstDriver } from '../../drivers/scst/index.js';
import type { Host } from '../../reconciler/host/host.js';
import type { Plan } from '../../reconciler/core/change.js';
import type { SecretResolver } from '../../reconciler/core/driver.js';
import { applyPlan, loadAndPlan } from '../../reconciler/pipeline.js';
import type { ApplyResult } from '../../reconciler/apply/index.js';

export const stackDrivers = [mdDriver, bcacheDriver, btierDriver, scstDriver];

/** Which objects of the universe exist, and their tunable fields. */
export interface StackState {
  md0?: { spares: boolean };
  md1?: Record<string, never>;
  bcache0?: { mode?: 'writethrough' | 'writeback' | 'writearound'; cutoff?: number };
  sdtiera?: { interval?: number };
  /** SCST devices on the layers (only those whose layer exists are written). */
  scst: { onMd0: boolean; onBcache: boolean; onTier: boolean; rotational?: boolean; lun: boolean };
}

/** The desired-state YAML of a stack state; every storage section is present (so what is absent is pruned). */
export function stackYaml(s: StackState): string {
  const md: Record<string, unknown> = {};
  if (s.md0) md.md0 = { level: 'raid1', devices: ['/dev/sdb', '/dev/sdc'], ...(s.md0.spares ? { spares: ['/dev/sdh'] } : {}) };
  // bcache0 sits on md1: it brings md1 with it
  if (s.md1 || s.bcache0) md.md1 = { level: 'raid1', devices: ['/dev/sdd', '/dev/sde'] };
  const bcache: Record<string, unknown> = {};
  if (s.bcache0) {
    bcache.bcache0 = {
      backing: '/dev/md1', cache: '/dev/nvme0n1',
      ...(s.bcache0.mode ? { mode: s.bcache0.mode } : {}),
      ...(s.bcache0.cutoff !== undefined ? { attributes: { sequential_cutoff: s.bcache0.cutoff } } : {}),
    };
  }
  const btier: Record<string, unknown> = {};
  if (s.sdtiera) btier.sdtiera = { devices: ['/dev/sdf', '/dev/sdg'], ...(s.sdtiera.interval ? { attributes: { migration_interval: s.sdtiera.interval } } : {}) };
  const rot = s.scst.rotational === undefined ? {} : { rotational: s.scst.rotational };
  const devices: Record<string, unknown> = { n0: { handler: 'vdisk_nullio' } };
  if (s.scst.onMd0 && s.md0) devices.mirror = { handler: 'vdisk_blockio', filename: '/dev/md0', ...rot };
  if (s.scst.onBcache && s.bcache0) devices.cached = { handler: 'vdisk_blockio', filename: '/dev/bcache0', ...rot };
  if (s.scst.onTier && s.sdtiera) devices.tiered = { handler: 'vdisk_blockio', filename: '/dev/sdtiera' };
  const luns: Record<string, string> = { 0: 'n0' };
  if (s.scst.lun) Object.keys(devices).filter((d) => d !== 'n0').forEach((d, i) => (luns[String(i + 1)] = d));
  return stringify({
    version: 1,
    storage: { md, bcache, btier },
    scst: { devices, targets: { iscsi: { 'iqn.2026-01.com.example:stack': { luns } } } },
  });
}

/** Plans `yaml` on the host, approving exactly the addresses in `allow`. */
export async function planStack(host: Host, yaml: string, allow: string[] = []): Promise<{ plan: Plan; secrets: SecretResolver }> {
  const r = await loadAndPlan({ texts: [{ file: 'sanform.yaml', text: yaml }], host, drivers: stackDrivers, node: 'esos-sim', allow });
  if (!r.ok) throw new Error(`invalid test config: ${JSON.stringify(r.diagnostics)}\n${yaml}`);
  return r;
}

/** Addresses a plan holds back for an approval (not those this machine cannot make at all). */
export const needsApproval = (p: Plan): string[] => p.blocked.filter((b) => b.unavailable === undefined && b.because.length > 0).map((b) => b.address);

/** Plans, approves what the plan asks approval for (the test owns the machine), applies. */
export async function convergeStack(host: Host, yaml: string): Promise<ApplyResult> {
  const first = await planStack(host, yaml);
  const { plan, secrets } = needsApproval(first.plan).length ? await planStack(host, yaml, needsApproval(first.plan)) : first;
  return applyPlan({ host, plan, drivers: stackDrivers, secrets, stateDir: host.stateDir });
}
