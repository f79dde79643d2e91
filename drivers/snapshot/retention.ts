/**
 * Which snapshots a retention rule keeps (pure), the way snapper and Zumastor count: the newest
 * `last`, plus the newest snapshot of each of the newest `hourly` hours that have one, of each of
 * the newest `daily` days, `weekly` ISO weeks (Monday first) and `monthly` months, all in UTC.
 * A snapshot kept by any rule is kept; everything else may be pruned.
 */

export interface Retention {
  last?: number;
  hourly?: number;
  daily?: number;
  weekly?: number;
  monthly?: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The period a time falls in, per rule: equal keys, same period. */
const PERIODS: Record<Exclude<keyof Retention, 'last'>, (t: Date) => number> = {
  hourly: (t) => Math.floor(t.getTime() / HOUR),
  daily: (t) => Math.floor(t.getTime() / DAY),
  // 1970-01-01 was a Thursday: shift by three days so weeks start on Monday
  weekly: (t) => Math.floor((t.getTime() / DAY + 3) / 7),
  monthly: (t) => t.getUTCFullYear() * 12 + t.getUTCMonth(),
};

/** Indexes (into `times`) of the snapshots to keep. */
export function keep(rule: Retention, times: readonly Date[]): Set<number> {
  const newestFirst = times.map((t, i) => ({ t, i })).sort((a, b) => b.t.getTime() - a.t.getTime() || a.i - b.i);
  const kept = new Set<number>(newestFirst.slice(0, rule.last ?? 0).map((x) => x.i));
  for (const [name, period] of Object.entries(PERIODS) as [keyof typeof PERIODS, (t: Date) => number][]) {
    const count = rule[name] ?? 0;
    const seen = new Set<number>();
    for (const x of newestFirst) {
      if (seen.size >= count) break;
      const p = period(x.t);
      if (!seen.has(p)) {
        seen.add(p);
        kept.add(x.i);
      }
    }
  }
  return kept;
}
