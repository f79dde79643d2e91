/**
 * The DRBD emulator's state: one record per node of a (possibly linked) pair, kept in one place
 * so that both nodes see one replication link. A sim DIR keeps it in `DIR/cluster/drbd.json`
 * (`sanform sim link A B` makes B's `cluster` the same directory as A's); an in-memory host keeps
 * its own. Every access takes the lock, reads, lets the caller change it, and writes it back.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withLock } from '../../sim/lock.js';

export type Role = 'Primary' | 'Secondary';
export type MdState = 'Inconsistent' | 'UpToDate' | 'Outdated';

export interface Volume {
  minor: number;
  /** attached lower device, when attached. */
  disk?: { path: string; metaDisk: string; options: Record<string, string> };
}

export interface Peer {
  name: string;
  options: Record<string, string>;
  paths: { local: string; remote: string }[];
  /** `connect` was issued (and no `disconnect` since). */
  connect: boolean;
  /** peer-device options per volume (resync-rate, c-plan-ahead...). */
  volumes?: Record<string, Record<string, string>>;
}

export interface DrbdResource {
  nodeId: number;
  role: Role;
  options: Record<string, string>;
  volumes: Record<string, Volume>;
  peers: Record<string, Peer>;
}

/** DRBD metadata on a lower device (written by `drbdmeta create-md`). */
export interface Metadata {
  state: MdState;
  /** size of the lower device when DRBD last sized the volume (bytes). */
  sizeBytes: number;
}

export interface NodeState {
  resources: Record<string, DrbdResource>;
  md: Record<string, Metadata>;
  /** lower devices holding something else (a file system...): what blkid reports for them. */
  signatures?: Record<string, string>;
}

/** A resync under way, per `RES/VOL`, between two nodes. */
export interface Resync {
  source: string;
  target: string;
  percent: number;
}

export interface DrbdWorld {
  /** the replication link between the two nodes is cut (`sanform sim ctl DIR link cut`). */
  cut: boolean;
  /** a resync stops advancing while held (`sim ctl DIR resync hold|release`). */
  holdResync?: boolean;
  /** split brain detected per resource (`sim ctl DIR split-brain RES`): connections refuse. */
  splitBrain?: Record<string, boolean>;
  nodes: Record<string, NodeState>;
  resync: Record<string, Resync>;
}

export const emptyWorld = (): DrbdWorld => ({ cut: false, nodes: {}, resync: {} });
export const emptyNode = (): NodeState => ({ resources: {}, md: {} });

/** Where a world lives and how to change it atomically. */
export interface WorldStore {
  update<T>(fn: (w: DrbdWorld) => T): T;
}

export class MemoryWorld implements WorldStore {
  private w = emptyWorld();
  update<T>(fn: (w: DrbdWorld) => T): T {
    const copy = structuredClone(this.w);
    const out = fn(copy);
    this.w = copy;
    return out;
  }
}

export class FileWorld implements WorldStore {
  constructor(private readonly dir: string) {}
  update<T>(fn: (w: DrbdWorld) => T): T {
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, 'drbd.json');
    return withLock(join(this.dir, 'drbd.lock'), () => {
      const w = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DrbdWorld) : emptyWorld();
      const before = JSON.stringify(w);
      const out = fn(w);
      const after = JSON.stringify(w);
      if (after !== before) {
        writeFileSync(`${file}.tmp${process.pid}`, after);
        renameSync(`${file}.tmp${process.pid}`, file);
      }
      return out;
    });
  }
}
