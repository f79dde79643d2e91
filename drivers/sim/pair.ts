/**
 * Two emulated machines as an HA pair: one replication link (DRBD state kept in one place), one
 * cluster (which node is promoted, which are in standby or maintenance), and what the cluster
 * manager does on a failover: demote DRBD on the old node, promote it on the new one, and swap
 * the ALUA target-group states on both machines, as ESOS's SCST agent does.
 */
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SanformError } from '../../reconciler/core/errors.js';
import { SCST_ROOT } from '../../reconciler/host/host.js';
import { clusterDir, readCluster, updateCluster } from '../drbd/emulator/cluster.js';
import { FileWorld } from '../drbd/emulator/state.js';
import { diskState, connState } from '../drbd/emulator/link.js';
import { openSimHost } from './simhost.js';

/** A pair operation that the emulated cluster refuses (as Pacemaker would not do it). */
export class SimPairError extends SanformError<'SIM_PAIR', { dir: string }> {
  constructor(dir: string, message: string, hint?: string) {
    super('SIM_PAIR', message, { data: { dir }, hint });
  }
}

async function hostnameOf(dir: string): Promise<string> {
  const h = await openSimHost(dir);
  try {
    return await h.hostname();
  } finally {
    await h.close();
  }
}

/**
 * Links two sim DIRs: B's cluster directory becomes A's (one replication link, one CIB); A's
 * node is promoted first. Both machines must be fresh as far as DRBD goes.
 */
export async function linkSimDirs(a: string, b: string): Promise<{ nodes: [string, string] }> {
  const [da, db] = [resolve(a), resolve(b)];
  const [na, nb] = [await hostnameOf(da), await hostnameOf(db)];
  if (na === nb) throw new SimPairError(db, `both machines are called ${na}`, 'give each its own name: sanform sim init DIR --hostname NAME');
  mkdirSync(clusterDir(da), { recursive: true });
  rmSync(clusterDir(db), { recursive: true, force: true });
  symlinkSync(clusterDir(da), clusterDir(db));
  updateCluster(clusterDir(da), (c) => {
    c.nodes = { [na]: da, [nb]: db };
    c.promoted ??= na;
  });
  return { nodes: [na, nb] };
}

const worldOf = (dir: string) => new FileWorld(clusterDir(dir));

/** Cuts or restores the replication link between the two nodes. */
export function setLink(dir: string, up: boolean): void {
  worldOf(dir).update((w) => void (w.cut = !up));
}

/** Holds or releases resync progress (a resync under way stays where it is while held). */
export function holdResync(dir: string, hold: boolean): void {
  worldOf(dir).update((w) => void (w.holdResync = hold));
}

/** DRBD detects a split brain on RES: its connections go StandAlone until released. */
export function splitBrain(dir: string, res: string, on: boolean): void {
  worldOf(dir).update((w) => void ((w.splitBrain ??= {})[res] = on));
}

/** Swaps active and non-active ALUA target-group states on one machine. */
async function swapAlua(dir: string): Promise<void> {
  const h = await openSimHost(dir);
  try {
    const root = `${SCST_ROOT}/device_groups`;
    if (!(await h.sysfs.exists(root))) return;
    for (const dg of await h.sysfs.list(root)) {
      if (dg === 'mgmt') continue;
      const tgs = `${root}/${dg}/target_groups`;
      const states = new Map<string, string>();
      for (const tg of await h.sysfs.list(tgs)) {
        if (tg === 'mgmt') continue;
        states.set(tg, (await h.sysfs.read(`${tgs}/${tg}/state`)).split('\n')[0]!.trim());
      }
      const active = [...states].filter(([, s]) => s === 'active').map(([t]) => t);
      const passive = [...states].filter(([, s]) => s !== 'active').map(([t]) => t);
      if (active.length === 0 || passive.length === 0) continue;
      const demoted = states.get(passive[0]!)!;
      for (const t of active) await h.control.write(`${tgs}/${t}/state`, demoted);
      for (const t of passive) await h.control.write(`${tgs}/${t}/state`, 'active');
    }
  } finally {
    await h.close();
  }
}

/**
 * A failover: the promoted role moves to the other node (DRBD demoted there first, then
 * promoted here; refused when the new node has no UpToDate data), and the ALUA states swap on
 * both machines. Returns the new active node.
 */
export async function failover(dir: string): Promise<string> {
  const cdir = clusterDir(resolve(dir));
  const c = readCluster(cdir);
  if (!c || Object.keys(c.nodes).length !== 2) throw new SimPairError(dir, `${dir} is not part of a linked pair`, 'sanform sim link A B');
  const old = c.promoted ?? Object.keys(c.nodes)[0]!;
  const next = Object.keys(c.nodes).find((n) => n !== old)!;
  worldOf(dir).update((w) => {
    const from = w.nodes[old]?.resources ?? {};
    const to = w.nodes[next]?.resources ?? {};
    for (const [name, r] of Object.entries(to)) {
      for (const vol of Object.keys(r.volumes)) {
        if (diskState(w, next, name, vol) === 'UpToDate') continue;
        const viaPeer = Object.keys(r.peers).some((id) => connState(w, next, name, id) === 'Connected' && diskState(w, old, name, vol) === 'UpToDate');
        if (!viaPeer) throw new SimPairError(dir, `cannot promote ${name} on ${next}: no UpToDate data for volume ${vol}`);
      }
    }
    for (const r of Object.values(from)) r.role = 'Secondary';
    for (const r of Object.values(to)) r.role = 'Primary';
  });
  for (const d of Object.values(c.nodes)) if (existsSync(join(d, 'machine'))) await swapAlua(d);
  updateCluster(cdir, (s) => void (s.promoted = next));
  return next;
}

/** Puts a node in (or out of) standby or maintenance; standby of the promoted node fails over first. */
export async function setNodeMode(dir: string, node: string, mode: 'standby' | 'maintenance', on: boolean): Promise<void> {
  const cdir = clusterDir(resolve(dir));
  const c = readCluster(cdir);
  if (!c?.nodes[node]) throw new SimPairError(dir, `${node} is not a node of this pair (${Object.keys(c?.nodes ?? {}).join(', ') || 'not linked'})`);
  if (mode === 'standby' && on && c.promoted === node) await failover(dir);
  updateCluster(cdir, (s) => {
    s[mode] = s[mode].filter((n) => n !== node);
    if (on) s[mode].push(node);
  });
}
