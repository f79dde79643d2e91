/**
 * The one lock-file protocol of sanform, shared by the apply lock (`<stateDir>/lock`) and the
 * emulated machine's lock (`sim:DIR/machine/lock`). Synchronous, because the emulator's calls are
 * (FUSE serves them); the apply lock waits around it asynchronously.
 *
 * - A lock file is never empty: the holder's record (pid, process start time, since) is written
 *   to a private temp file first and hard-linked into place (link(2) fails with EEXIST like
 *   O_EXCL), so a kill at any moment leaves either no lock or a complete one.
 * - A lock is stale when its process is gone, when its pid now belongs to a process that started
 *   later (pid reuse after a reboot or wrap), or when it cannot be read (an empty or torn file an
 *   older sanform left after a kill between create and write). A stale lock is broken at once.
 * - Breaking renames the file aside and checks it is the very lock judged stale (each lock's text
 *   is unique: pid, time, sequence); a fresh lock taken away by mistake in that instant is linked
 *   back. A release removes the lock only while it holds the text its holder wrote.
 */
import { closeSync, linkSync, openSync, readFileSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface LockHolder {
  pid: number;
  /** when it was taken (ISO time). */
  since?: string;
  /** the holder's start time in clock ticks since boot (/proc/PID/stat field 22): tells pid reuse. */
  start?: number;
}

/** Whether a process id is alive (EPERM means it exists but belongs to someone else). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Start time of a process in clock ticks since boot, undefined where /proc does not say. */
export function processStart(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[19]); // field 22 of the whole line; fields here start at field 3
    return Number.isFinite(start) ? start : undefined;
  } catch {
    return undefined;
  }
}

let ownStart: number | undefined | null = null;
const myStart = (): number | undefined => (ownStart === null ? (ownStart = processStart(process.pid)) : ownStart);

/** The holder a lock file names; `{pid: 0}` when the file is empty or unreadable; undefined when there is none. */
export function readHolder(file: string): LockHolder | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { pid: 0 };
  }
  try {
    const o = JSON.parse(text) as unknown;
    if (typeof o === 'number') return { pid: o }; // the plain pid older emulator locks hold
    if (o && typeof o === 'object' && typeof (o as LockHolder).pid === 'number') return o as LockHolder;
  } catch {
    /* torn: stale */
  }
  return { pid: 0 };
}

/** Whether the process a holder names still holds it: alive, and the same process (not a reused pid). */
export function holderAlive(h: LockHolder): boolean {
  if (!(h.pid > 0) || !pidAlive(h.pid)) return false;
  if (h.start === undefined) return true;
  const now = h.pid === process.pid ? myStart() : processStart(h.pid);
  return now === undefined || now === h.start;
}

/** The live holder of a lock file, if any (a stale lock counts as free). */
export function liveHolder(file: string): LockHolder | undefined {
  const h = readHolder(file);
  return h && holderAlive(h) ? h : undefined;
}

let seq = 0;

/** Removes `file` if it still holds what was judged stale; puts back a fresh lock moved by mistake. */
function breakStale(file: string, judged: string): void {
  const aside = `${file}.stale.${process.pid}.${seq++}`;
  try {
    renameSync(file, aside);
  } catch {
    return; // someone else broke or released it first
  }
  try {
    if (readFileSync(aside, 'utf8') !== judged) linkSync(aside, file); // not the one we judged: give it back
  } catch {
    /* a newer lock exists already: the one moved aside lost its claim in the same instant */
  }
  unlinkSync(aside);
  sweepTemps(file);
}

/** Temp files (`lock.PID.N.tmp`) of processes killed between writing and linking them. */
function sweepTemps(file: string): void {
  const dir = dirname(file);
  const prefix = `${basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    const m = n.startsWith(prefix) ? /^(\d+)\.\d+\.tmp$/.exec(n.slice(prefix.length)) : null;
    if (m && Number(m[1]) !== process.pid && !pidAlive(Number(m[1]))) {
      try {
        unlinkSync(join(dir, n));
      } catch {
        /* gone */
      }
    }
  }
}

export type TryLock = { taken: true; release: () => void } | { taken: false; holder: LockHolder };

/**
 * One attempt at `file`: takes it (complete from the first instant), or breaks a stale lock and
 * tries again, or reports the live holder. Never waits.
 */
export function tryLock(file: string): TryLock {
  for (let attempt = 0; ; attempt++) {
    const tmp = `${file}.${process.pid}.${seq++}.tmp`;
    const start = myStart();
    const body = JSON.stringify({ pid: process.pid, since: new Date().toISOString(), ...(start === undefined ? {} : { start }), n: seq });
    const fd = openSync(tmp, 'wx', 0o644);
    try {
      writeSync(fd, body);
    } finally {
      closeSync(fd);
    }
    let linked = false;
    try {
      linkSync(tmp, file);
      linked = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        unlinkSync(tmp);
        throw e;
      }
    }
    unlinkSync(tmp);
    if (linked) return { taken: true, release: () => releaseIfOurs(file, body) };
    const text = readText(file);
    if (text === undefined) continue; // released between our link and our look
    const holder = readHolder(file) ?? { pid: 0 };
    if (holderAlive(holder) || attempt >= 20) return { taken: false, holder };
    breakStale(file, text);
  }
}

/** Removes the lock only while it is still the one we wrote (not one taken after ours was broken). */
function releaseIfOurs(file: string, body: string): void {
  if (readText(file) !== body) return;
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
