/**
 * Where an emulated machine's state lives. MemoryMachine: one process, in memory.
 * PersistentMachine (`--host sim:DIR`): many processes share one machine through DIR/machine/:
 *   snapshot.json      {gen, state}, replaced atomically on compaction
 *   log-<gen>.jsonl    one line per operation that changed state since that snapshot, with the
 *                      backing-store probe results it saw (replays never look at the disk)
 *   lock               held for every operation (concurrent writers are serialized)
 * Every operation first replays what others appended since this process last looked, then runs,
 * then appends itself if it changed anything, all under the lock, so it is visible before the
 * call returns. Replays are linear in the new entries: bulk loads stay linear overall.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ErrnoError } from '../../reconciler/core/errors.js';
import type { Probe } from '../scst/emulator/node.js';
import { drbdDeviceSize } from '../drbd/emulator/devices.js';
import { SimWorld } from './world.js';
import type { HardwareProfile } from './hardware.js';
import type { EmuOp } from './ops.js';
import { applyOp } from './ops.js';
import { withLock } from './lock.js';

export interface Machine {
  /** runs one operation; throws the operation's ErrnoError. */
  run(op: EmuOp): unknown;
  hardware(): HardwareProfile;
}

export class MemoryMachine implements Machine {
  constructor(readonly world: SimWorld) {}
  run(op: EmuOp): unknown {
    return applyOp(this.world, op);
  }
  hardware(): HardwareProfile {
    return this.world.hardware();
  }
}

interface LogEntry {
  op: EmuOp;
  probes?: Record<string, Probe>;
}

/** Entries after which the log is folded into a new snapshot. */
const COMPACT_ENTRIES = 5_000;

export class PersistentMachine implements Machine {
  private world!: SimWorld;
  private gen = -1;
  private offset = 0;
  private entries = 0;
  private readonly dir: string;

  constructor(
    root: string,
    private readonly compactEvery = COMPACT_ENTRIES,
  ) {
    this.dir = join(root, 'machine');
  }

  /** Creates DIR/machine with a fresh state (used by `sim init`). */
  static create(root: string, hw: HardwareProfile): void {
    const dir = join(root, 'machine');
    mkdirSync(dir, { recursive: true });
    const world = SimWorld.fresh(hw);
    writeFileSync(join(dir, 'log-0.jsonl'), '');
    writeFileSync(join(dir, 'snapshot.json'), JSON.stringify({ gen: 0, state: world.toJSON() }));
  }

  /**
   * Replaces the machine in DIR by a fresh one while other processes may have it open: a new
   * generation, so every reader reloads on its next operation.
   */
  static reset(root: string, hw: HardwareProfile): void {
    const dir = join(root, 'machine');
    withLock(join(dir, 'lock'), () => {
      const { gen } = JSON.parse(readFileSync(join(dir, 'snapshot.json'), 'utf8')) as { gen: number };
      const fresh = SimWorld.fresh(hw);
      writeFileSync(join(dir, `log-${gen + 1}.jsonl`), '');
      const tmp = join(dir, `snapshot.json.tmp${process.pid}`);
      writeFileSync(tmp, JSON.stringify({ gen: gen + 1, state: fresh.toJSON() }));
      renameSync(tmp, join(dir, 'snapshot.json'));
      unlinkSync(join(dir, `log-${gen}.jsonl`));
    });
  }

  static exists(root: string): boolean {
    return existsSync(join(root, 'machine', 'snapshot.json'));
  }

  private logPath(gen = this.gen): string {
    return join(this.dir, `log-${gen}.jsonl`);
  }

  /** Picks up what other processes did since we last looked. */
  private sync(): void {
    if (this.gen < 0 || !existsSync(this.logPath())) {
      const snap = JSON.parse(readFileSync(join(this.dir, 'snapshot.json'), 'utf8')) as { gen: number; state: unknown };
      this.world = SimWorld.fromJSON(snap.state);
      this.gen = snap.gen;
      this.offset = 0;
      this.entries = 0;
    }
    const fd = openSync(this.logPath(), 'r');
    let buf: Buffer | undefined;
    let replaced = false;
    try {
      const size = fstatSync(fd).size;
      replaced = size < this.offset;
      if (!replaced && size > this.offset) {
        buf = Buffer.alloc(size - this.offset);
        readSync(fd, buf, 0, buf.length, this.offset);
        this.offset = size;
      }
    } finally {
      closeSync(fd);
    }
    if (replaced) {
      // the log was replaced behind our back: start over from the snapshot
      this.gen = -1;
      return this.sync();
    }
    if (buf) for (const line of buf.toString('utf8').split('\n')) if (line) this.replay(JSON.parse(line) as LogEntry);
  }

  private replay(e: LogEntry): void {
    const probes = e.probes ?? {};
    this.world.scst.probe = (p) => probes[p] ?? { kind: 'missing', size: 0 };
    try {
      applyOp(this.world, e.op);
    } catch (err) {
      if (!(err instanceof ErrnoError)) throw err;
    }
    this.entries++;
  }

  run(op: EmuOp): unknown {
    return withLock(join(this.dir, 'lock'), () => {
      this.sync();
      const before = this.world.generation;
      const probes: Record<string, Probe> = {};
      const live = this.world.liveProbe({ filesRoot: join(this.dir, '..', 'files') });
      // /dev/drbdN of this node's DRBD resources (drivers/drbd/emulator) are block devices too
      const drbd = (p: string): Probe | undefined => {
        const size = drbdDeviceSize(join(this.dir, '..', 'cluster'), this.world.hardware().hostname, p);
        return size === undefined ? undefined : { kind: 'block', size };
      };
      this.world.scst.probe = (p) => (probes[p] = (p.startsWith('/dev/drbd') ? drbd(p) : undefined) ?? live(p));
      let result: unknown;
      let error: unknown;
      try {
        result = applyOp(this.world, op);
      } catch (e) {
        error = e;
      }
      if (this.world.generation !== before) this.append({ op, ...(Object.keys(probes).length ? { probes } : {}) });
      if (error !== undefined) throw error;
      return result;
    });
  }

  private append(e: LogEntry): void {
    const line = Buffer.from(`${JSON.stringify(e)}\n`);
    const fd = openSync(this.logPath(), 'a');
    try {
      writeSync(fd, line);
      if (process.env.SANFORM_SIM_FSYNC === '1') fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.offset += line.length;
    if (++this.entries >= this.compactEvery) this.compact();
  }

  /** Folds the log into a new snapshot; readers notice the old log is gone and reload. */
  private compact(): void {
    const next = this.gen + 1;
    writeFileSync(this.logPath(next), '');
    const tmp = join(this.dir, `snapshot.json.tmp${process.pid}`);
    writeFileSync(tmp, JSON.stringify({ gen: next, state: this.world.toJSON() }));
    renameSync(tmp, join(this.dir, 'snapshot.json'));
    unlinkSync(this.logPath());
    this.gen = next;
    this.offset = 0;
    this.entries = 0;
  }

  hardware(): HardwareProfile {
    return withLock(join(this.dir, 'lock'), () => (this.sync(), this.world.hardware()));
  }
}
