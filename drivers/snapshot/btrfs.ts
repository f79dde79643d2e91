/**
 * The btrfs side of snapshots, through Host.exec only: read-only snapshots of a subvolume taken
 * beside it (`/srv/vm_store` -> `/srv/vm_store@2026-12-04T10:00Z`), listed with one `btrfs
 * subvolume list` (plus one `findmnt` to place the directory in its file system), deleted with
 * `btrfs subvolume delete`. Every call's failure is an error naming the command and what btrfs said.
 */
import { basename, dirname, join, posix } from 'node:path';
import { SanformError } from '../../reconciler/core/errors.js';
import type { ExecResult } from '../../reconciler/host/host.js';
import { timeOfName } from './schedule.js';

/** Runs argv where the file system is (the local host, or a peer through a transport). */
export type Run = (argv: string[]) => Promise<ExecResult>;

export interface Subvolume {
  name: string;
  /** absolute path on the machine that listed it. */
  path: string;
  uuid: string;
  /** for a snapshot taken here: the subvolume it was taken of. */
  parentUuid?: string;
  /** for a received one: the UUID of the snapshot it was sent from; absent until a receive completed. */
  receivedUuid?: string;
  /** the time its name carries. */
  time: Date;
}

export class BtrfsError extends SanformError<'BTRFS_FAILED'> {
  constructor(argv: string[], r: ExecResult) {
    super('BTRFS_FAILED', `${argv.join(' ')} exited ${r.exitCode}: ${r.stderr.trim().split('\n')[0] ?? ''}`, {
      hint: 'check that the path is on a mounted btrfs file system and that btrfs-progs is installed',
    });
  }
}

async function ok(run: Run, argv: string[]): Promise<string> {
  const r = await run(argv);
  if (r.exitCode !== 0) throw new BtrfsError(argv, r);
  return r.stdout;
}

const uuidOrNone = (s: string | undefined): string | undefined => (s === undefined || s === '-' ? undefined : s);

/**
 * The subvolumes of set `set` directly in directory `dir` (absolute), newest first. One
 * `findmnt` tells where `dir` sits in its file system; one `btrfs subvolume list` lists them all.
 */
export async function listSet(run: Run, o: { dir: string; set: string }): Promise<Subvolume[]> {
  const [target, fsroot] = (await ok(run, ['findmnt', '-n', '-o', 'TARGET,FSROOT', '-T', o.dir])).trim().split(/\s+/);
  if (!target || !fsroot) throw new SanformError('BTRFS_FAILED', `findmnt found no mount for ${o.dir}`, { hint: 'mount the btrfs file system first' });
  const rel = posix.join(fsroot, posix.relative(target, o.dir)).replace(/^\/+/, '');
  const out: Subvolume[] = [];
  const rows = (await ok(run, ['btrfs', 'subvolume', 'list', '-u', '-q', '-R', o.dir])).split('\n').flatMap((line) => {
    const m = /^ID (\d+) .*top level (\d+) parent_uuid (\S+)\s+received_uuid (\S+)\s+uuid (\S+) path (.+)$/.exec(line);
    return m ? [{ id: m[1]!, top: m[2]!, parent: m[3], received: m[4], uuid: m[5]!, path: m[6]!.replace(/^<FS_TREE>\//, '') }] : [];
  });
  // listed at a subvolume, btrfs shows that subvolume's direct children relative to it
  const self = rows.find((r) => r.path === rel)?.id;
  for (const r of rows) {
    const name = posix.basename(r.path);
    const time = timeOfName(o.set, name);
    const here = posix.dirname(r.path) === (rel === '' ? '.' : rel) || (self !== undefined && r.top === self && r.path === name);
    if (!time || !here) continue;
    out.push({ name, path: join(o.dir, name), uuid: r.uuid, parentUuid: uuidOrNone(r.parent), receivedUuid: uuidOrNone(r.received), time });
  }
  return out.sort((a, b) => b.time.getTime() - a.time.getTime());
}

/** The snapshots of `subvolume` (an absolute path) beside it. */
export const listSnapshots = (run: Run, subvolume: string): Promise<Subvolume[]> => listSet(run, { dir: dirname(subvolume), set: basename(subvolume) });

/** Takes the read-only snapshot `name` of `subvolume`, beside it. */
export async function takeSnapshot(run: Run, o: { subvolume: string; name: string }): Promise<string> {
  const dest = join(dirname(o.subvolume), o.name);
  await ok(run, ['btrfs', 'subvolume', 'snapshot', '-r', o.subvolume, dest]);
  return dest;
}

export async function deleteSubvolume(run: Run, path: string): Promise<void> {
  await ok(run, ['btrfs', 'subvolume', 'delete', path]);
}
