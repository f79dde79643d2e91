/** Helpers for engine tests against the SCST driver on the emulated machine (SimHost). */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { scstDriver } from '../../drivers/scst/index.js';
import type { Host } from '../../reconciler/host/host.js';
import { applyPlan, loadAndPlan } from '../../reconciler/pipeline.js';
import type { ApplyResult } from '../../reconciler/apply/index.js';
import type { Plan } from '../../reconciler/core/change.js';
import type { SecretResolver } from '../../reconciler/core/driver.js';

export const drivers = [scstDriver];

let shared: string | undefined;
/**
 * A lock/journal directory on tmpfs when there is one: the journal syncs every intent, which
 * costs milliseconds per op on a disk and microseconds on tmpfs. Removed at exit.
 */
export function stateDir(): string {
  if (!shared) {
    shared = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'sanform-engine-'));
    const dir = shared;
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return shared;
}

export interface SmallTarget {
  luns: Record<string, string>;
  groups?: Record<string, { initiators: string[]; luns: Record<string, string> }>;
  enabled?: boolean;
}
export interface SmallState {
  devices: Record<string, { prodId?: string; rotational?: boolean }>;
  targets: Record<string, SmallTarget>;
}

/** The YAML of a small desired state (nullio devices, iSCSI targets with LUNs and one group). */
export function yamlOf(s: SmallState): string {
  const devices = Object.fromEntries(
    Object.entries(s.devices).map(([n, d]) => [n, { handler: 'vdisk_nullio', ...d }]),
  );
  const targets = Object.fromEntries(
    Object.entries(s.targets).map(([n, t]) => [
      `iqn.2026-01.com.example:${n}`,
      {
        ...(t.enabled === false ? { enabled: false } : {}),
        luns: t.luns,
        ...(t.groups ? { groups: t.groups } : {}),
      },
    ]),
  );
  return stringify({ version: 1, scst: { devices, targets: { iscsi: targets } } });
}

/** Plans `yaml` against the host, approving every guarded change (tests own the machine). */
export async function planAll(host: Host, yaml: string): Promise<{ plan: Plan; secrets: SecretResolver }> {
  const texts = [{ file: 'sanform.yaml', text: yaml }];
  const first = await loadAndPlan({ texts, host, drivers });
  if (!first.ok) throw new Error(`invalid test config: ${JSON.stringify(first.diagnostics)}`);
  if (first.plan.blocked.length === 0) return first;
  const again = await loadAndPlan({ texts, host, drivers, allow: first.plan.blocked.map((b) => b.address) });
  if (!again.ok) throw new Error('unreachable');
  return again;
}

export async function converge(host: Host, yaml: string): Promise<ApplyResult> {
  const { plan, secrets } = await planAll(host, yaml);
  return applyPlan({ host, plan, drivers, secrets, stateDir: stateDir() });
}

export const opCount = (p: Plan): number => p.changes.reduce((n, c) => n + c.ops.length, 0);

/** A desired state whose first apply is about 50 kernel writes. */
export function fiftyOps(): SmallState {
  const devices = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`disk${i}`, { prodId: `P${i}` }]));
  const targets = Object.fromEntries(
    ['t1', 't2'].map((t, k) => [
      t,
      {
        luns: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [String(i), `disk${i + 5 * k}`])),
        groups: {
          esx: { initiators: [`iqn.1998-01.com.vmware:${t}-a`, `iqn.1998-01.com.vmware:${t}-b`], luns: { '0': `disk${k}`, '1': `disk${k + 2}`, '2': `disk${k + 10}` } },
        },
      },
    ]),
  );
  return { devices, targets };
}
