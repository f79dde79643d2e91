/**
 * What two linked nodes see of each other: connection state from both sides' configuration and
 * the link, disk states from metadata, and resync progress (advanced one step per status read).
 */
import type { DrbdResource, DrbdWorld, Peer } from './state.js';

export type ConnState = 'StandAlone' | 'Connecting' | 'Connected';

/** The peer's side of the connection `me` -> `peer`, when it exists. */
export function backSide(w: DrbdWorld, me: string, res: string, r: DrbdResource, p: Peer): { other: DrbdResource; back: Peer } | undefined {
  const other = w.nodes[p.name]?.resources[res];
  const back = other?.peers[String(r.nodeId)];
  return other && back && back.name === me ? { other, back } : undefined;
}

export function connState(w: DrbdWorld, me: string, res: string, peerId: string): ConnState {
  const r = w.nodes[me]?.resources[res];
  const p = r?.peers[peerId];
  if (!r || !p?.connect || w.splitBrain?.[res]) return 'StandAlone';
  const b = backSide(w, me, res, r, p);
  if (w.cut || !b || !b.back.connect || b.other.nodeId !== Number(peerId)) return 'Connecting';
  const reciprocal = p.paths.some((x) => b.back.paths.some((y) => y.local === x.remote && y.remote === x.local));
  return reciprocal ? 'Connected' : 'Connecting';
}

/** Disk state of a volume on one node, as DRBD reports it. */
export function diskState(w: DrbdWorld, node: string, res: string, vol: string): string {
  const v = w.nodes[node]?.resources[res]?.volumes[vol];
  if (!v?.disk) return 'Diskless';
  const sync = w.resync[`${res}/${vol}`];
  if (sync && sync.target === node) return 'Inconsistent';
  return w.nodes[node]?.md[v.disk.path]?.state ?? 'Diskless';
}

/**
 * Starts, advances (by 50% per call unless held) and finishes resyncs of connected volumes where
 * one side is UpToDate and the other is not; a resync whose connection dropped is abandoned.
 */
export function advanceResync(w: DrbdWorld): void {
  for (const [key, s] of Object.entries(w.resync)) {
    const [res] = key.split('/') as [string];
    const r = w.nodes[s.source]?.resources[res];
    const peerId = r ? Object.keys(r.peers).find((id) => r.peers[id]!.name === s.target) : undefined;
    if (!r || !peerId || connState(w, s.source, res, peerId) !== 'Connected') delete w.resync[key];
  }
  for (const [me, n] of Object.entries(w.nodes)) {
    for (const [res, r] of Object.entries(n.resources)) {
      for (const [id, p] of Object.entries(r.peers)) {
        if (connState(w, me, res, id) !== 'Connected') continue;
        for (const vol of Object.keys(r.volumes)) {
          const key = `${res}/${vol}`;
          const mine = diskState(w, me, res, vol);
          const theirs = diskState(w, p.name, res, vol);
          if (!w.resync[key] && mine === 'UpToDate' && (theirs === 'Inconsistent' || theirs === 'Outdated')) {
            w.resync[key] = { source: me, target: p.name, percent: 0 };
          }
        }
      }
    }
  }
  if (w.holdResync) return;
  for (const [key, s] of Object.entries(w.resync)) {
    s.percent += 50;
    if (s.percent < 100) continue;
    const [res, vol] = key.split('/') as [string, string];
    const disk = w.nodes[s.target]?.resources[res]?.volumes[vol]?.disk;
    const md = disk ? w.nodes[s.target]!.md[disk.path] : undefined;
    if (md) md.state = 'UpToDate';
    delete w.resync[key];
  }
}
