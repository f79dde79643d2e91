/**
 * The cluster's view, read with the real Pacemaker CLI: `crm_mon --output-as=xml -1` (on a test
 * machine, with `CIB_file=` pointing at a CIB kept in a file). Only the attributes sanform needs
 * are read: each node's online/standby/maintenance flags and where promotable clones are promoted.
 */
import type { Host } from '../../reconciler/host/host.js';
import { isErrno } from '../../reconciler/core/errors.js';

export interface ClusterNode {
  name: string;
  online: boolean;
  standby: boolean;
  maintenance: boolean;
}

export interface ClusterView {
  nodes: ClusterNode[];
  /** promotable clone id -> node names where an instance is promoted. */
  promoted: Record<string, string[]>;
}

const attr = (tag: string, name: string): string | undefined => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
const unxml = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

export function parseCrmMon(xml: string): ClusterView {
  const nodesPart = /<nodes>([\s\S]*?)<\/nodes>/.exec(xml)?.[1] ?? '';
  const nodes = [...nodesPart.matchAll(/<node\s[^>]*>/g)].map(([tag]) => ({
    name: unxml(attr(tag, 'name') ?? ''),
    online: attr(tag, 'online') === 'true',
    standby: attr(tag, 'standby') === 'true',
    maintenance: attr(tag, 'maintenance') === 'true',
  }));
  const promoted: Record<string, string[]> = {};
  const resources = /<resources>([\s\S]*?)<\/resources>/.exec(xml)?.[1] ?? '';
  for (const clone of resources.matchAll(/<clone\s([^>]*)>([\s\S]*?)<\/clone>/g)) {
    if (attr(` ${clone[1]}`, 'multi_state') !== 'true') continue;
    const id = unxml(attr(` ${clone[1]}`, 'id') ?? '');
    const on: string[] = [];
    for (const r of clone[2]!.matchAll(/<resource\s([^>]*)>([\s\S]*?)<\/resource>/g)) {
      if (attr(` ${r[1]}`, 'role') !== 'Promoted' && attr(` ${r[1]}`, 'role') !== 'Master') continue;
      for (const n of r[2]!.matchAll(/<node\s[^>]*>/g)) on.push(unxml(attr(n[0], 'name') ?? ''));
    }
    promoted[id] = on.sort();
  }
  return { nodes, promoted };
}

/** The cluster's view, or undefined when this machine has no cluster (no tool, not connected). */
export async function readCluster(host: Host): Promise<ClusterView | undefined> {
  let r;
  try {
    r = await host.exec(['crm_mon', '--output-as=xml', '-1']);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return undefined;
    throw e;
  }
  if (r.exitCode !== 0 || !r.stdout.includes('<pacemaker-result')) return undefined;
  return parseCrmMon(r.stdout);
}
