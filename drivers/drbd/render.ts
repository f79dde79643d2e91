/**
 * One DRBD 9 resource file per resource, the same bytes on both nodes (DESIGN §6), with a map
 * from each line to the YAML path that produced it (a parse error of `drbdadm dump` is reported
 * at that YAML line). Options are written as given under their section (`net/protocol` style keys).
 */
import type { DrbdSpec, SanformModel } from '../../schema/model.js';

export interface Rendered {
  text: string;
  /** 1-based line -> YAML path (segments). */
  lines: Map<number, string[]>;
}

const SECTIONS = ['options', 'net', 'disk', 'handlers', 'startup'] as const;

/** A value as drbd.conf takes it: bare when it is a plain token, quoted otherwise. */
const value = (v: unknown): string => {
  const s = typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v);
  return /^[A-Za-z0-9._:/+-]+$/.test(s) ? s : JSON.stringify(s);
};

/** The `on` name of a node: the host name DRBD matches against `uname -n`. */
export const hostnameOf = (model: SanformModel, node: string): string => model.nodes?.[node]?.hostname ?? node;

export function renderResource(model: SanformModel, name: string, spec: DrbdSpec): Rendered {
  const base = ['storage', 'drbd', name];
  const out: string[] = [];
  const lines = new Map<number, string[]>();
  const push = (text: string, path: string[] = base) => {
    out.push(text);
    lines.set(out.length, path);
  };
  push('# written by sanform: changes made here are overwritten');
  push(`resource ${name} {`);
  const bySection = new Map<string, [string, unknown][]>();
  if (spec.protocol) bySection.set('net', [['protocol', spec.protocol]]);
  for (const [key, v] of Object.entries(spec.options ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [section, opt] = key.includes('/') ? (key.split('/', 2) as [string, string]) : ['options', key];
    bySection.set(section, [...(bySection.get(section) ?? []), [opt, v]]);
  }
  const sections = [...SECTIONS, ...[...bySection.keys()].filter((s) => !(SECTIONS as readonly string[]).includes(s)).sort()];
  for (const section of sections) {
    const opts = bySection.get(section);
    if (!opts) continue;
    push(`  ${section} {`, [...base, 'options']);
    for (const [opt, v] of opts) {
      const key = `${section}/${opt}`;
      const path = opt === 'protocol' && section === 'net' && spec.options?.[key] === undefined ? [...base, 'protocol'] : [...base, 'options', spec.options?.[key] !== undefined ? key : opt];
      push(`    ${opt} ${value(v)};`, path);
    }
    push('  }', [...base, 'options']);
  }
  for (const [vol, v] of Object.entries(spec.volumes).sort(([a], [b]) => Number(a) - Number(b))) {
    const p = [...base, 'volumes', vol];
    const minor = /^\/dev\/drbd(\d+)$/.exec(v.device)?.[1] ?? '0';
    push(`  volume ${vol} {`, p);
    push(`    device ${v.device} minor ${minor};`, [...p, 'device']);
    push(`    disk ${v.disk};`, [...p, 'disk']);
    push(`    meta-disk ${v.metaDisk ?? 'internal'};`, [...p, 'metaDisk']);
    push('  }', p);
  }
  const nodes = Object.keys(spec.nodes).sort();
  for (const [i, node] of nodes.entries()) {
    const n = spec.nodes[node]!;
    const p = [...base, 'nodes', node];
    push(`  on ${hostnameOf(model, node)} {`, p);
    push(`    node-id ${n.nodeId ?? i};`, [...p, 'nodeId']);
    push(`    address ${n.address};`, [...p, 'address']);
    push('  }', p);
  }
  if (nodes.length === 2) push(`  connection-mesh { hosts ${nodes.map((n) => hostnameOf(model, n)).join(' ')}; }`, [...base, 'nodes']);
  push('}');
  return { text: `${out.join('\n')}\n`, lines };
}
