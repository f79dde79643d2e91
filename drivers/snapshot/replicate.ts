/**
 * Incremental replication of a snapshot set to a peer: `btrfs send -p PARENT SNAP | <transport>
 * btrfs receive DIR`, through Host.pipe (argv arrays, no shell). The parent is the newest local
 * snapshot whose UUID the peer holds as a received UUID, so both sides agree on it whatever was
 * pruned meanwhile. A subvolume on the peer that a cut stream left behind has no received UUID:
 * it is deleted before sending and never counted as a copy. Each snapshot newer than the common
 * one is sent in order, each the parent of the next, so the peer keeps its own history.
 */
import { SanformError } from '../../reconciler/core/errors.js';
import type { Host } from '../../reconciler/host/host.js';
import { deleteSubvolume, listSet, listSnapshots, type Run, type Subvolume } from './btrfs.js';
import { basename } from 'node:path';

/** How a command reaches the peer: argv in, argv to run here out. */
export type Transport = (argv: string[]) => string[];

/** Quotes one word for the remote shell ssh hands its command to. */
const shq = (w: string): string => (/^[A-Za-z0-9_./@:=+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

/** `local` (the peer file system is mounted here) or `ssh:HOST` (ssh in batch mode, words quoted). */
export function transportFor(spec: string): Transport {
  if (spec === 'local') return (argv) => argv;
  if (spec.startsWith('ssh:') && spec.length > 4 && !spec.slice(4).startsWith('-')) {
    const host = spec.slice(4);
    return (argv) => ['ssh', '-o', 'BatchMode=yes', host, '--', argv.map(shq).join(' ')];
  }
  throw new SanformError('USAGE', `replicate.to ${JSON.stringify(spec)} is not a transport`, { hint: 'use local (a file system mounted here) or ssh:HOST' });
}

export interface Sent {
  name: string;
  parent?: string;
  bytes: number;
}

export interface ReplicationReport {
  sent: Sent[];
  /** partial subvolumes a cut stream had left on the peer, deleted. */
  cleaned: string[];
  /** the newest snapshot the peer holds completely after this run. */
  newestOnPeer?: string;
  /** set when a send failed: what failed; the next run resumes from the last complete copy. */
  error?: { code: string; message: string };
}

export async function replicate(host: Host, o: { subvolume: string; to: Transport; path: string }): Promise<ReplicationReport> {
  if (!host.pipe) throw new SanformError('UNAVAILABLE', `${host.id} cannot run a send | receive pipe`, { hint: 'replication runs on a real machine (--host local)' });
  const set = basename(o.subvolume);
  const here: Run = (argv) => host.exec(argv);
  const peer: Run = (argv) => host.exec(o.to(argv));
  const local = (await listSnapshots(here, o.subvolume)).reverse();
  const onPeer = await listSet(peer, { dir: o.path, set });
  const cleaned: string[] = [];
  for (const partial of onPeer.filter((s) => !s.receivedUuid)) {
    await deleteSubvolume(peer, partial.path);
    cleaned.push(partial.name);
  }
  const received = new Set(onPeer.flatMap((s) => (s.receivedUuid ? [s.receivedUuid] : [])));
  const common = [...local].reverse().find((s) => received.has(s.uuid));
  const todo = common ? local.filter((s) => s.time.getTime() > common.time.getTime()) : local.slice(-1);
  const sent: Sent[] = [];
  let parent: Subvolume | undefined = common;
  for (const snap of todo) {
    const r = await host.pipe(['btrfs', 'send', '-q', ...(parent ? ['-p', parent.path] : []), snap.path], o.to(['btrfs', 'receive', '-q', o.path]));
    if (r.exitCodes[0] !== 0 || r.exitCodes[1] !== 0) {
      const why = (r.stderr[1] || r.stderr[0]).trim().split('\n')[0] ?? '';
      return { sent, cleaned, newestOnPeer: parent?.name, error: { code: 'REPLICATION_FAILED', message: `sending ${snap.name}${parent ? ` (from ${parent.name})` : ''}: ${why}` } };
    }
    sent.push({ name: snap.name, ...(parent ? { parent: parent.name } : {}), bytes: r.bytes });
    parent = snap;
  }
  return { sent, cleaned, newestOnPeer: parent?.name };
}
