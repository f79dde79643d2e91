/**
 * Rollout waves (pure): a node applies a revision only when every node of the earlier waves has
 * recorded that revision applied without failure. A failure in an earlier wave holds it.
 */
import type { Fleet } from './fleet-file.js';
import { waveOf } from './fleet-file.js';

/** The tip of one node's `refs/sanform/<node>/applied`, as far as waves care. */
export interface AppliedTip {
  revision?: string;
  ok: boolean;
}

export type Gate =
  | { go: true; wave: string }
  /** `waiting`: earlier nodes have not applied it yet; `failed`: one of them failed to. */
  | { go: false; wave: string; because: 'waiting' | 'failed'; blockingWave: string; nodes: string[] };

export function waveGate(o: { fleet: Fleet; node: string; revision: string; applied: ReadonlyMap<string, AppliedTip> }): Gate {
  const mine = waveOf(o.fleet, o.node);
  const wave = o.fleet.waves[mine]?.name ?? 'rest';
  for (let w = 0; w < mine; w++) {
    const earlier = o.fleet.waves[w];
    const tips = earlier.nodes.map((n) => ({ n, tip: o.applied.get(n) }));
    const failed = tips.filter(({ tip }) => tip?.revision === o.revision && !tip.ok).map(({ n }) => n);
    if (failed.length) return { go: false, wave, because: 'failed', blockingWave: earlier.name, nodes: failed };
    const waiting = tips.filter(({ tip }) => tip?.revision !== o.revision).map(({ n }) => n);
    if (waiting.length) return { go: false, wave, because: 'waiting', blockingWave: earlier.name, nodes: waiting };
  }
  return { go: true, wave };
}

/** One line for logs and alerts. */
export function gateText(g: Gate, revision: string): string {
  if (g.go) return `wave ${g.wave}: ${revision.slice(0, 12)} may be applied`;
  return g.because === 'failed'
    ? `wave ${g.wave} holds ${revision.slice(0, 12)}: it failed in wave ${g.blockingWave} on ${g.nodes.join(', ')}`
    : `wave ${g.wave} waits for wave ${g.blockingWave} to apply ${revision.slice(0, 12)} (${g.nodes.join(', ')})`;
}
