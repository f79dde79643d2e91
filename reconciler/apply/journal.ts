import { closeSync, fdatasyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the record of a run goes (GitOps applies): with it, the journal holds what a record needs
 * when the process dies before the record commit, and the next run rebuilds it (reconciler/recover.ts).
 */
export interface RecordTarget {
  repo: string;
  kind: string;
  node: string;
  host: string;
  desiredRevision?: string;
  startedAt: string;
}

/** A planned change as the journal keeps it: `[address, action, kind, number of ops]`. */
export type JournalChange = [string, string, string, number];

/** One line of `stateDir/journal.jsonl`. */
export type JournalEntry =
  | {
      type: 'begin'; run: string; pid: number; at: string; observedHash: string; changes: number; previous?: InterruptedRun;
      record?: RecordTarget;
      /** with `record`: every change of the plan, in plan order, and the blocked ones. */
      plan?: { changes: JournalChange[]; blocked: { address: string; action: string; hint: string }[] };
    }
  | { type: 'intent'; run: string; address: string; op: number; command: string }
  | { type: 'done'; run: string; address: string; op: number; ok: boolean; error?: string }
  | { type: 'end'; run: string; at: string; ok: boolean }
  | { type: 'recorded'; run: string; at: string; oid?: string; pending?: string };

/** What a run that never wrote its `end` was doing when it stopped. */
export interface InterruptedRun {
  run: string;
  pid: number;
  at: string;
  /** the last op it announced; `completed` false means the op may or may not have taken effect. */
  lastStep?: { address: string; op: number; command: string; completed: boolean };
  /** ops it completed. */
  completedOps: number;
}

export const journalPath = (stateDir: string): string => join(stateDir, 'journal.jsonl');

function parseLines(text: string): JournalEntry[] {
  const out: JournalEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as JournalEntry);
    } catch {
      break; // a torn last line from a crash
    }
  }
  return out;
}

/** Every line of the last run in the journal, begin first; undefined when there is none. */
export function readLastRun(stateDir: string): JournalEntry[] | undefined {
  let text: string;
  try {
    text = readFileSync(journalPath(stateDir), 'utf8');
  } catch {
    return undefined;
  }
  const entries = parseLines(text);
  const begin = entries.filter((e) => e.type === 'begin').pop();
  if (!begin) return undefined;
  return entries.filter((e) => e.run === begin.run);
}

/** Reads the journal and returns the last run if it did not finish (no `end` line). */
export function readInterrupted(stateDir: string): InterruptedRun | undefined {
  const mine = readLastRun(stateDir);
  const begin = mine?.[0];
  if (!mine || !begin || begin.type !== 'begin') return undefined;
  if (mine.some((e) => e.type === 'end')) return undefined;
  const intent = mine.filter((e) => e.type === 'intent').pop();
  const done = mine.filter((e): e is Extract<JournalEntry, { type: 'done' }> => e.type === 'done');
  const lastStep =
    intent && intent.type === 'intent'
      ? {
          address: intent.address,
          op: intent.op,
          command: intent.command,
          completed: done.some((d) => d.address === intent.address && d.op === intent.op),
        }
      : undefined;
  return { run: begin.run, pid: begin.pid, at: begin.at, lastStep, completedOps: done.filter((d) => d.ok).length };
}

/**
 * An append-only journal of one apply: intent before each op and completion after it, each line
 * synced to disk, so a run after a crash knows where the previous one stopped. A new run starts
 * a fresh file (the previous run's interruption, if any, is carried in its `begin` line).
 */
export class Journal {
  private fd: number;
  constructor(
    stateDir: string,
    readonly run: string,
  ) {
    mkdirSync(stateDir, { recursive: true });
    this.fd = openSync(journalPath(stateDir), 'w', 0o600);
  }

  /**
   * Appends one line. Intent, begin and end lines are synced before returning (an intent must be
   * on disk before its kernel write); a completion line is written at once (a killed process
   * cannot lose it) and reaches the disk with the next sync, which halves the syncs of an apply.
   * After a power loss a missing completion only makes the step show as "may or may not have
   * taken effect", which re-planning handles.
   */
  write(e: JournalEntry): void {
    writeSync(this.fd, `${JSON.stringify(e)}\n`);
    if (e.type !== 'done') fdatasyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Appends a `recorded` line for `run`: its record commit exists (or waits in the pending queue),
 * so no later run rebuilds it. Synced: a record rebuilt twice would be a false second apply.
 */
export function markRecorded(stateDir: string, e: Omit<Extract<JournalEntry, { type: 'recorded' }>, 'type'>): void {
  const fd = openSync(journalPath(stateDir), 'a', 0o600);
  try {
    writeSync(fd, `${JSON.stringify({ type: 'recorded', ...e })}\n`);
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
