/**
 * Whole processes measured side by side: wall time, CPU time (user + system) and peak RSS of
 * one child, read from GNU time when it is installed (wall time alone otherwise), and the
 * interleaved rounds the CLI bench runs (each round runs every peer once, so a load spike on
 * this shared machine hits them alike).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './timing.js';

export interface ProcRun {
  wallMs: number;
  cpuMs?: number;
  rssMiB?: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';

/** Runs argv once; `ok` lists the exit codes that count as success (else it throws). */
export function runProc(argv: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; ok?: number[] } = {}): ProcRun {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-proc-'));
  const out = join(dir, 'time');
  const timed = existsSync(GNU_TIME);
  const full = timed ? [GNU_TIME, '-o', out, '-f', '%U %S %M', ...argv] : argv;
  const t0 = performance.now();
  const r = spawnSync(full[0]!, full.slice(1), { cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wallMs = performance.now() - t0;
  try {
    if (!(opts.ok ?? [0]).includes(r.status ?? -1)) {
      throw new Error(`${argv.join(' ')}: exit ${r.status}\n${r.stderr.slice(-2000)}`);
    }
    const run: ProcRun = { wallMs, status: r.status, stdout: r.stdout, stderr: r.stderr };
    if (timed && existsSync(out)) {
      const [u, s, m] = readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
      run.cpuMs = (u! + s!) * 1000;
      run.rssMiB = m! / 1024;
    }
    return run;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Medians of several runs of one peer. */
export interface Summary {
  wallMs: number;
  cpuMs?: number;
  rssMiB?: number;
}

export function summarize(runs: readonly ProcRun[]): Summary {
  const pick = (f: (r: ProcRun) => number | undefined): number | undefined => {
    const xs = runs.map(f).filter((x): x is number => x !== undefined);
    return xs.length ? median(xs) : undefined;
  };
  return { wallMs: pick((r) => r.wallMs)!, cpuMs: pick((r) => r.cpuMs), rssMiB: pick((r) => r.rssMiB) };
}

/** `what: 1.23x (wall 123 ms vs 100 ms; cpu ...) budget <= 2x PASS`; returns whether it passed. */
export function ratioLine(what: string, a: Summary, b: Summary, budget?: number): boolean {
  const wall = a.wallMs / b.wallMs;
  const cpu = a.cpuMs !== undefined && b.cpuMs ? a.cpuMs / b.cpuMs : undefined;
  const ok = budget === undefined || wall <= budget;
  const cpuText = cpu === undefined ? '' : `; cpu ${cpu.toFixed(2)}x (${a.cpuMs!.toFixed(0)} vs ${b.cpuMs!.toFixed(0)} ms)`;
  console.log(`${what.padEnd(44)} ${wall.toFixed(2).padStart(6)}x wall (${a.wallMs.toFixed(0)} vs ${b.wallMs.toFixed(0)} ms)${cpuText}${budget === undefined ? '' : `  budget <= ${budget}x  ${ok ? 'PASS' : 'FAIL'}`}`);
  return ok;
}
