/**
 * The Pacemaker observer: a driver that only reads. Its resources (`pacemaker/node/NAME`,
 * `pacemaker/promoted/CLONE`) are never desired, never managed and never changed; they feed the
 * plan header (nodes in standby, maintenance or offline) and the pair rollout (who is active).
 */
import type { ClusterNote } from '../../reconciler/core/change.js';
import type { Driver } from '../../reconciler/core/driver.js';
import type { Resource, Snapshot } from '../../reconciler/core/resource.js';
import type { Host } from '../../reconciler/host/host.js';
import { readCluster } from './crm-mon.js';

const NODE = 'pacemaker.node';
const PROMOTED = 'pacemaker.promoted';

async function observe(host: Host): Promise<Resource[]> {
  const view = await readCluster(host);
  if (!view) return [];
  const nodes = view.nodes.map((n) => ({
    address: `pacemaker/node/${n.name}`, kind: NODE, driver: 'pacemaker', deps: [],
    spec: { online: n.online, standby: n.standby, maintenance: n.maintenance },
  }));
  const promoted = Object.entries(view.promoted).map(([id, on]) => ({
    address: `pacemaker/promoted/${id}`, kind: PROMOTED, driver: 'pacemaker', deps: [], spec: { nodes: on },
  }));
  return [...nodes, ...promoted];
}

/** Cluster nodes not serving normally, for the plan header. */
export function clusterNotes(observed: Snapshot): ClusterNote[] {
  const out: ClusterNote[] = [];
  for (const r of observed.resources.values()) {
    if (r.kind !== NODE) continue;
    const s = r.spec as { online: boolean; standby: boolean; maintenance: boolean };
    const node = r.address.slice('pacemaker/node/'.length);
    if (!s.online) out.push({ node, state: 'offline' });
    if (s.standby) out.push({ node, state: 'standby' });
    if (s.maintenance) out.push({ node, state: 'maintenance' });
  }
  return out;
}

/** Nodes where the cluster promoted something (the active node of a pair), from an observed snapshot. */
export function promotedNodes(observed: Snapshot): string[] {
  const out = new Set<string>();
  for (const r of observed.resources.values()) if (r.kind === PROMOTED) for (const n of (r.spec as { nodes: string[] }).nodes) out.add(n);
  return [...out].sort();
}

export const pacemakerDriver = {
  name: 'pacemaker',
  kinds: [NODE, PROMOTED],
  observe,
  desired: () => [],
  managedKinds: () => [],
  compare: () => [],
  classify: () => [],
  stage: () => 'attributes',
  ops: () => [],
  prune: () => 'keep',
  clusterNotes,
} satisfies Driver;

export { readCluster, parseCrmMon, type ClusterView } from './crm-mon.js';
