/** `drbdsetup status --json` as typed data, and the health questions asked of it. */
import { SanformError } from '../../reconciler/core/errors.js';

export interface DrbdStatus {
  name: string;
  role: string;
  devices: { volume: number; minor: number; diskState: string; sizeKiB: number }[];
  connections: { peer: string; state: string; peerRole: string; volumes: { volume: number; replication: string; peerDisk: string; percent: number }[] }[];
}

/** A DRBD tool failed where sanform needed its answer. */
export class DrbdToolError extends SanformError<'DRBD_TOOL_FAILED', { argv: string[]; exitCode: number }> {
  constructor(argv: string[], exitCode: number, stderr: string) {
    super('DRBD_TOOL_FAILED', `${argv.join(' ')} exited ${exitCode}: ${stderr.trim().split('\n').slice(-3).join(' / ')}`, { data: { argv, exitCode } });
  }
}

type Raw = Record<string, unknown>;

export function parseStatus(json: string): DrbdStatus[] {
  const list = JSON.parse(json || '[]') as Raw[];
  return list.map((r) => ({
    name: String(r.name),
    role: String(r.role),
    devices: ((r.devices as Raw[]) ?? []).map((d) => ({ volume: Number(d.volume), minor: Number(d.minor), diskState: String(d['disk-state']), sizeKiB: Number(d.size ?? 0) })),
    connections: ((r.connections as Raw[]) ?? []).map((c) => ({
      peer: String(c.name),
      state: String(c['connection-state']),
      peerRole: String(c['peer-role']),
      volumes: ((c.peer_devices as Raw[]) ?? []).map((p) => ({
        volume: Number(p.volume), replication: String(p['replication-state']), peerDisk: String(p['peer-disk-state']), percent: Number(p['percent-in-sync'] ?? 0),
      })),
    })),
  }));
}

/** Why a resource is not healthy (connected, UpToDate on both sides, no resync), or undefined. */
export function unhealthy(s: DrbdStatus): string | undefined {
  for (const d of s.devices) if (d.diskState !== 'UpToDate') return `${s.name} volume ${d.volume}: disk ${d.diskState}`;
  if (s.connections.length === 0) return `${s.name}: no peer configured`;
  for (const c of s.connections) {
    if (c.state !== 'Connected') return `${s.name}: ${c.state} to ${c.peer}`;
    for (const v of c.volumes) {
      if (v.peerDisk !== 'UpToDate') return `${s.name} volume ${v.volume}: ${c.peer}'s disk is ${v.peerDisk}${v.replication.startsWith('Sync') ? ` (${v.replication} ${v.percent}%)` : ''}`;
    }
  }
  return undefined;
}

/**
 * Whether an unhealthy resource's state stops what is built on its device: a failed or detached
 * lower disk, or a connection DRBD gave up on (StandAlone: split brain, or taken down by hand).
 * Waiting for the peer (Connecting) and an Inconsistent/Outdated disk during or before a resync
 * resolve on their own once the link is back: a new standby's disk is Inconsistent until the
 * active node forces its first primary, and a device made on it then must be made again on a
 * re-run after a failure, as the first run did.
 */
export function blocksUsers(s: DrbdStatus): boolean {
  if (s.devices.some((d) => ['Failed', 'Diskless', 'Detaching'].includes(d.diskState))) return true;
  return s.connections.some((c) => c.state === 'StandAlone');
}
