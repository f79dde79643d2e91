/**
 * Extent accounting and allocation of the LVM emulator: free extents per VG and lvm2's `normal`
 * allocation policy, as far as it shows on simple layouts.
 */
import type { StackEnv } from '../../sim/stack/layer.js';
import { failed } from './args.js';
import { freeRuns, peCount, usedRuns, type LvmSeg, type LvmState, type LvmVg } from './state.js';

/** What allocation reads: the PV records and which disks are present. */
export interface ExtentCtx {
  readonly st: LvmState;
  readonly env: StackEnv;
}

/** Free extents of `vg` on its present PVs (only those in `only`, when given). */
export function freeCount(ctx: ExtentCtx, vg: LvmVg, only?: string[]): number {
  let n = 0;
  for (const [pv, runs] of usedRuns(vg)) {
    if ((only && !only.includes(pv)) || !ctx.env.disks.get(pv)) continue;
    for (const [, c] of freeRuns(runs, pvExtents(ctx, vg, pv))) n += c;
  }
  return n;
}

/** The extents PV `pv` holds in `vg` (0 when it is not a PV). */
export function pvExtents(ctx: ExtentCtx, vg: LvmVg, pv: string): number {
  const rec = ctx.st.pvs[pv];
  return rec ? peCount(rec.devSize, vg.extentSize) : 0;
}

/**
 * lvm2's `normal` allocation, as far as it shows on simple layouts: first the free run right
 * after the LV's last segment (contiguous), then free runs on the PVs it already uses (cling),
 * then any free run: PV by PV in VG order, the largest run of each PV first.
 */
export function allocate(ctx: ExtentCtx, vg: LvmVg, count: number, only?: string[], taken: LvmSeg[] = [], prev: LvmSeg[] = []): LvmSeg[] | undefined {
  const out: LvmSeg[] = [];
  let left = count;
  const used = usedRuns(vg);
  for (const s of taken) used.get(s.pv)?.push([s.start, s.count]);
  const pvs = (only ?? vg.pvs).filter((pv) => vg.pvs.includes(pv) && ctx.env.disks.get(pv));
  const runs: { pv: string; start: number; count: number; order: number }[] = [];
  pvs.forEach((pv, order) => {
    for (const [start, c] of freeRuns((used.get(pv) ?? []).sort((a, b) => a[0] - b[0]), pvExtents(ctx, vg, pv))) runs.push({ pv, start, count: c, order });
  });
  const take = (r: { pv: string; start: number; count: number }) => {
    const n = Math.min(r.count, left);
    if (n <= 0) return;
    out.push({ pv: r.pv, start: r.start, count: n });
    r.start += n;
    r.count -= n;
    left -= n;
  };
  const last = prev[prev.length - 1];
  const next = last && runs.find((r) => r.pv === last.pv && r.start === last.start + last.count);
  if (next) take(next);
  const bySize = (a: (typeof runs)[number], b: (typeof runs)[number]) => a.order - b.order || b.count - a.count || a.start - b.start;
  const mine = new Set(prev.map((s) => s.pv));
  for (const r of runs.filter((x) => mine.has(x.pv)).sort(bySize)) take(r);
  for (const r of runs.sort(bySize)) take(r);
  return left === 0 ? out : undefined;
}

/** `allocate`, or lvm2's insufficient-space error. */
export function allocOrFail(ctx: ExtentCtx, vg: LvmVg, count: number, only?: string[], taken: LvmSeg[] = [], prev: LvmSeg[] = []): LvmSeg[] {
  const segs = allocate(ctx, vg, count, only, taken, prev);
  if (segs) return segs;
  const free = freeCount(ctx, vg, only) - taken.reduce((n, s) => n + s.count, 0);
  if (only) return failed(`Insufficient free space: ${count} extents needed, but only ${free} available`);
  return failed(`Volume group "${vg.name}" has insufficient free space (${free} extents): ${count} required.`);
}
