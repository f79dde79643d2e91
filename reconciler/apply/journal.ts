import { closeSync, fdatasyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** One line of `stateDir/journal.jsonl`. */
export type JournalEntry =
  | { type: 'begin'; run: string; pid: number; at: string; observedHash: string; changes: number; previous?: InterruptedRun }
  | { type: 'intent'; run: string; address: string; op: number; command: string }
  | { type: 'done'; run: string; address: string; op: number; ok: boolean; error?: string }
  | { type: 'end'; run: string; at: string; ok: boolean };

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

/** Reads the journal and returns the last run if it did not finish (no `end` line). */
export function readInterrupted(stateDir: string): InterruptedRun | undefined {
  let text: string;
  try {
    text = readFileSync(journalPath(stateDir), 'utf8');
  } catch {
    return undefined;
  }
  const entries = parseLines(text);
  const begin = entries.filter((e) => e.type === 'begin').pop();
  if (!begin || begin.type !== 'begin') return undefined;
  const mine = entries.filter((e) => e.run === begin.run);
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
