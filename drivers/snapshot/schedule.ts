/**
 * When a snapshot is due and how snapshots are named (pure: the clock is a parameter). Names
 * carry the time of the schedule slot they were taken for, to the minute, in UTC:
 * `vm_store@2026-12-04T10:00Z`, so the schedule is readable in a listing and the names sort
 * by time.
 */

export type Schedule = { every: string } | { at: string[] };

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `15m`, `1h`, `1d`, `1w` in ms; undefined when malformed or under a minute. */
export function parseEvery(s: string): number | undefined {
  const m = /^([1-9][0-9]{0,4})([mhdw])$/.exec(s);
  return m ? Number(m[1]) * UNITS[m[2]!]! : undefined;
}

/** `HH:MM` (UTC) as minutes after midnight; undefined when malformed. */
export function parseAt(s: string): number | undefined {
  const m = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(s);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

const MINUTE = 60_000;
const floorMinute = (t: number): number => Math.floor(t / MINUTE) * MINUTE;

/** The start of the schedule slot `now` falls in: the latest scheduled time at or before now. */
export function slotOf(s: Schedule, now: Date): Date {
  const t = now.getTime();
  if ('every' in s) {
    const every = parseEvery(s.every)!;
    return new Date(Math.floor(t / every) * every);
  }
  const day = Math.floor(t / UNITS.d!) * UNITS.d!;
  const times = s.at.map((a) => parseAt(a)!).sort((a, b) => a - b);
  const today = times.map((m) => day + m * MINUTE).filter((x) => x <= t);
  return new Date(today.length ? today[today.length - 1]! : day - UNITS.d! + times[times.length - 1]! * MINUTE);
}

/** The slot to take a snapshot for now, or undefined when the newest one already covers it. */
export function due(s: Schedule, taken: readonly Date[], now: Date): Date | undefined {
  const slot = slotOf(s, now);
  return taken.some((d) => d.getTime() >= slot.getTime()) ? undefined : new Date(floorMinute(slot.getTime()));
}

const STAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})Z$/;

export const snapshotName = (set: string, at: Date): string => `${set}@${at.toISOString().slice(0, 16)}Z`;

/** The time in a snapshot's name when it belongs to `set`, else undefined. */
export function timeOfName(set: string, name: string): Date | undefined {
  if (!name.startsWith(`${set}@`)) return undefined;
  const m = STAMP.exec(name.slice(set.length + 1));
  const d = m ? new Date(`${m[1]}:00Z`) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
}
