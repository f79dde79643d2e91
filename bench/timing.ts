/** Timing helpers shared by the benchmarks. */

/** The median of a list of numbers (the upper one of an even count). */
export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** CPU time (user + system) of this process since `since`, in ms. */
export const cpuMsSince = (since: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
};

/**
 * Runs `fn` once to warm up, then `runs` times; the median wall and CPU times of those runs, in
 * ms (CPU time says more than wall time on a shared, loaded machine).
 */
export async function medianOf(fn: () => unknown, runs: number): Promise<{ wallMs: number; cpuMs: number }> {
  await fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    wall.push(performance.now() - t0);
    cpu.push(cpuMsSince(c0));
  }
  return { wallMs: median(wall), cpuMs: median(cpu) };
}
