/**
 * What the emulated kernel prints: `drbdsetup show` (the grammar drbdadm's adjust parses, options
 * as set) and `drbdsetup status --json` (DRBD 9's field names).
 */
import { connState, diskState } from './link.js';
import type { DrbdWorld } from './state.js';

const optLines = (opts: Record<string, string>, indent: string): string[] =>
  Object.keys(opts)
    .sort()
    .map((k) => `${indent}${k}\t\t\t${/^[A-Za-z0-9._:/-]+$/.test(opts[k]!) ? opts[k] : JSON.stringify(opts[k])};`);

export function renderShow(w: DrbdWorld, node: string, only?: string): string {
  const out: string[] = [];
  const n = w.nodes[node];
  for (const [name, r] of Object.entries(n?.resources ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (only && only !== name) continue;
    out.push(`resource ${name} {`, '    options {', ...optLines(r.options, '        '), '    }', '    _this_host {', `        node-id\t\t\t${r.nodeId};`);
    for (const [vol, v] of Object.entries(r.volumes)) {
      out.push(`        volume ${vol} {`, `            device\t\t\tminor ${v.minor};`);
      if (v.disk) {
        out.push(`            disk\t\t\t"${v.disk.path}";`, `            meta-disk\t\t\t${v.disk.metaDisk};`, '            disk {', ...optLines(v.disk.options, '                '), '            }');
      }
      out.push('        }');
    }
    out.push('    }');
    for (const [id, p] of Object.entries(r.peers)) {
      out.push('    connection {', `        _peer_node_id ${id};`);
      for (const path of p.paths) out.push('        path {', `            _this_host ipv4 ${path.local};`, `            _remote_host ipv4 ${path.remote};`, '        }');
      out.push('        net {', `            _name\t\t\t"${p.name}";`, ...optLines(p.options, '            '), '        }');
      for (const [vol, o] of Object.entries(p.volumes ?? {})) {
        if (Object.keys(o).length > 0) out.push(`        volume ${vol} {`, '            disk {', ...optLines(o, '                '), '            }', '        }');
      }
      out.push('    }');
    }
    out.push('}', '');
  }
  return out.join('\n');
}

export function renderStatus(w: DrbdWorld, node: string, only?: string): string {
  const n = w.nodes[node];
  const list = Object.entries(n?.resources ?? {})
    .filter(([name]) => !only || only === name)
    .map(([name, r]) => ({
      name,
      'node-id': r.nodeId,
      role: r.role,
      suspended: false,
      devices: Object.entries(r.volumes).map(([vol, v]) => {
        const md = v.disk ? n!.md[v.disk.path] : undefined;
        return { volume: Number(vol), minor: v.minor, 'disk-state': diskState(w, node, name, vol), client: false, size: md ? Math.floor(md.sizeBytes / 1024) : 0 };
      }),
      connections: Object.entries(r.peers).map(([id, p]) => {
        const cs = connState(w, node, name, id);
        const other = w.nodes[p.name]?.resources[name];
        return {
          'peer-node-id': Number(id),
          name: p.name,
          'connection-state': cs,
          'peer-role': cs === 'Connected' && other ? other.role : 'Unknown',
          'peer_devices': Object.keys(r.volumes).map((vol) => {
            const sync = w.resync[`${name}/${vol}`];
            const repl = cs !== 'Connected' ? 'Off' : sync ? (sync.source === node ? 'SyncSource' : 'SyncTarget') : 'Established';
            return {
              volume: Number(vol),
              'replication-state': repl,
              'peer-disk-state': cs === 'Connected' ? diskState(w, p.name, name, vol) : 'DUnknown',
              'percent-in-sync': sync ? sync.percent : cs === 'Connected' ? 100 : 0,
            };
          }),
        };
      }),
    }));
  return `${JSON.stringify(list, null, 1)}\n`;
}
