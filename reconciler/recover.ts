/**
 * Rebuilds the record of an apply that was killed before its record commit. The apply's journal
 * (`<stateDir>/journal.jsonl`) keeps where the record goes and every change of its plan; its
 * intent and completion lines say which changes ran. The run that next takes the machine's lock
 * (before it writes a new journal) finds a last run that names a record target and has no
 * `recorded` line, writes that record, and marks it, so the history keeps every apply.
 */
import type { Snapshot } from './core/resource.js';
import { markRecorded, readLastRun, type JournalChange, type JournalEntry } from './apply/index.js';
import { readRecords } from './state/history.js';
import { recordSafely, type RecordResult } from './state/pending.js';
import type { ChangeOutcome, RecordKind } from './state/record.js';
import { openStore } from './state/store.js';

type Begin = Extract<JournalEntry, { type: 'begin' }>;
type Done = Extract<JournalEntry, { type: 'done' }>;

export interface Recovered {
  run: string;
  rebuilt: 'unrecorded' | 'interrupted';
  /** the record, as written now; absent when the record was there already (killed after the commit, before marking it). */
  record?: RecordResult;
}

/** One outcome per change of the journal's plan, from the ops it ran and how they ended. */
export function outcomeFromJournal(lines: readonly JournalEntry[]): ChangeOutcome[] {
  const begin = lines[0] as Begin;
  const ended = lines.some((e) => e.type === 'end');
  const done = new Map<string, Done[]>();
  const started = new Set<string>();
  for (const e of lines) {
    if (e.type === 'intent') started.add(e.address);
    if (e.type === 'done') done.set(e.address, [...(done.get(e.address) ?? []), e]);
  }
  const out: ChangeOutcome[] = (begin.plan?.changes ?? []).map(([address, action, , ops]: JournalChange) => {
    const mine = done.get(address) ?? [];
    const failed = mine.find((d) => !d.ok);
    if (failed) return { address, action, status: 'failed', error: { code: failed.error ?? 'FAILED', message: `op ${failed.op} failed (rebuilt from the journal)` } };
    if (mine.filter((d) => d.ok).length >= ops && (ops > 0 || ended)) return { address, action, status: 'applied' };
    if (started.has(address)) {
      return { address, action, status: 'failed', error: { code: 'INTERRUPTED', message: 'the apply was killed during this change; the next run re-plans it from the live state' } };
    }
    return ended
      ? { address, action, status: 'skipped', error: { code: 'SKIPPED', message: 'waits for a change that failed' } }
      : { address, action, status: 'skipped', error: { code: 'INTERRUPTED', message: 'not reached before the apply was killed' } };
  });
  for (const b of begin.plan?.blocked ?? []) out.push({ address: b.address, action: b.action, status: 'blocked', error: { code: 'BLOCKED', message: b.hint } });
  return out;
}

/**
 * Writes the record of the journal's last run when it names a record target and was never
 * recorded. Call it holding the machine's lock, before a new journal is started. `observe` gives
 * the live state of a node (the state the killed run left, unless someone changed it since).
 * When neither the repo nor the pending queue takes the record, nothing is marked: the next run tries again.
 */
export async function recoverRecord(o: { stateDir: string; observe: (node: string) => Promise<Snapshot>; now?: () => Date }): Promise<Recovered | undefined> {
  const lines = readLastRun(o.stateDir);
  const begin = lines?.[0];
  if (!lines || !begin || begin.type !== 'begin' || !begin.record) return undefined;
  if (lines.some((e) => e.type === 'recorded')) return undefined;
  const end = lines.find((e): e is Extract<JournalEntry, { type: 'end' }> => e.type === 'end');
  const rebuilt = end ? 'unrecorded' : 'interrupted';
  const t = begin.record;
  const kind = t.kind as RecordKind;
  const [tip] = await readRecords(await openStore(t.repo), { node: t.node, limit: 1, refs: [kind === 'observe' ? 'observed' : 'applied'] }).catch(() => []);
  if (tip?.meta.run === begin.run) {
    // killed after the record commit, before the journal said so
    markRecorded(o.stateDir, { run: begin.run, at: (o.now?.() ?? new Date()).toISOString(), oid: tip.commit });
    return { run: begin.run, rebuilt };
  }
  const seen = await o.observe(t.node);
  const snapshot: Snapshot = { ...seen, source: `${seen.source} (observed when the record of run ${begin.run} was rebuilt)` };
  const outcome = outcomeFromJournal(lines);
  const plan = {
    node: t.node, observedHash: begin.observedHash, desiredRevision: t.desiredRevision, rebuiltFromJournal: true,
    changes: (begin.plan?.changes ?? []).map(([address, action, kind]) => ({ address, action, kind })),
    blocked: begin.plan?.blocked ?? [],
  };
  const record = await recordSafely({
    repo: t.repo,
    stateDir: o.stateDir,
    record: {
      kind, node: t.node, host: t.host, desiredRevision: t.desiredRevision, startedAt: t.startedAt,
      finishedAt: end?.at ?? (o.now?.() ?? new Date()).toISOString(),
      ok: end?.ok === true && outcome.every((c) => c.status === 'applied'),
      run: begin.run, rebuilt, plan, outcome, snapshot,
    },
  });
  if (record.oid || record.pendingFile) {
    markRecorded(o.stateDir, { run: begin.run, at: (o.now?.() ?? new Date()).toISOString(), ...(record.oid ? { oid: record.oid } : {}), ...(record.pendingFile ? { pending: record.pendingFile } : {}) });
  }
  return { run: begin.run, rebuilt, record };
}
