import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { Resource } from '../core/resource.js';
import { writeDurable } from './fs.js';
import { refFor, writeRecord, type RecordInput } from './record.js';
import { openStore } from './store.js';

/**
 * Records that could not be written to the repo (read-only or full medium, repo missing) wait
 * as JSON files in `<stateDir>/pending-records/`, oldest first, and are retried before the next
 * record is written. A failed record never changes the result of the apply it describes.
 */
export const PENDING_DIR = 'pending-records';

interface PendingFile {
  repo: string;
  record: Omit<RecordInput, 'snapshot'> & { snapshot: { node: string; takenAt: string; source: string; kinds?: string[]; resources: Resource[] } };
}

export interface RecordResult {
  ok: boolean;
  /** the record commit, when written. */
  oid?: string;
  /** the ref it was written on (`refs/sanform/<node>/applied`), when written. */
  ref?: string;
  /** records written from the pending queue before this one. */
  flushed: string[];
  /** the pending file this record now waits in, when it could not be written. */
  pendingFile?: string;
  error?: { code: string; message: string };
}

async function savePending(stateDir: string, repo: string, rec: RecordInput): Promise<string> {
  const dir = join(stateDir, PENDING_DIR);
  await fsp.mkdir(dir, { recursive: true });
  const body: PendingFile = { repo, record: { ...rec, snapshot: { ...rec.snapshot, resources: [...rec.snapshot.resources.values()] } } };
  const file = join(dir, `${Date.now().toString().padStart(15, '0')}-${process.pid}-${Math.random().toString(36).slice(2, 6)}.json`);
  await writeDurable(file, JSON.stringify(body));
  return file;
}

/** Pending files, oldest first. */
export async function listPending(stateDir: string): Promise<string[]> {
  const dir = join(stateDir, PENDING_DIR);
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith('.json')).sort().map((n) => join(dir, n));
}

/** Retries the pending records in order; stops at the first one that still fails. */
export async function flushPending(stateDir: string): Promise<string[]> {
  const written: string[] = [];
  for (const file of await listPending(stateDir)) {
    let body: PendingFile;
    try {
      body = JSON.parse(await fsp.readFile(file, 'utf8')) as PendingFile;
    } catch {
      // a torn or foreign file must not block every later record: set it aside for a person
      await fsp.rename(file, `${file}.bad`);
      continue;
    }
    const s = body.record.snapshot;
    const rec: RecordInput = { ...body.record, snapshot: { ...s, resources: new Map(s.resources.map((r) => [r.address, r])) } };
    const store = await openStore(body.repo);
    const { oid } = await writeRecord(store, rec);
    await fsp.unlink(file);
    written.push(oid);
  }
  return written;
}

const describe = (e: unknown): { code: string; message: string } => {
  const err = e as { code?: string; message?: string };
  return { code: String(err.code ?? 'STATE_WRITE_FAILED'), message: String(err.message ?? e) };
};

/**
 * Writes a record, never throwing: pending records first, then this one. When the repo cannot
 * be written, the record is saved as pending and the result says why (the caller alerts).
 */
export async function recordSafely(p: { repo: string; stateDir: string; record: RecordInput }): Promise<RecordResult> {
  let flushed: string[] = [];
  try {
    flushed = await flushPending(p.stateDir);
    const store = await openStore(p.repo);
    const { oid } = await writeRecord(store, p.record);
    return { ok: true, oid, ref: refFor(p.record.kind, p.record.node), flushed };
  } catch (e) {
    const error = describe(e);
    try {
      const pendingFile = await savePending(p.stateDir, p.repo, p.record);
      return { ok: false, flushed, pendingFile, error };
    } catch (e2) {
      return { ok: false, flushed, error: { code: error.code, message: `${error.message}; pending record not saved either: ${describe(e2).message}` } };
    }
  }
}
