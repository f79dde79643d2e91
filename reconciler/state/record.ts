import git from 'isomorphic-git';
import type { Snapshot } from '../core/resource.js';
import { sanformIdentity } from './desired.js';
import { StateError } from './errors.js';
import { batchObjectWrites } from './fs.js';
import { planRecordText } from './plan-record.js';
import { kindHashesFor, reusableKinds } from './reuse.js';
import { OBSERVED_FORM, observedPath, quoted, snapshotFiles, snapshotFilesHash } from './snapshot-files.js';
import { blobOid, putCommit, putTree, recordRef, tryResolve, updateRef, type Store } from './store.js';

/**
 * One record commit on `refs/sanform/<node>/applied` (or `/observed` for drift seen by watch).
 * Its tree: `record.json` (what, when, which desired revision, the result), `plan.json`,
 * `outcome.json` (one entry per change) and `observed/<kind>.json` (the snapshot after apply).
 */
export type RecordKind = 'apply' | 'boot' | 'rollback' | 'correct' | 'observe' | 'revert';

export type ChangeStatus = 'applied' | 'failed' | 'skipped' | 'blocked';

export interface ChangeOutcome {
  address: string;
  action: string;
  status: ChangeStatus;
  error?: { code: string; message: string };
}

/** What an apply record says about the run, in the input and in `record.json` alike. */
interface RecordHeader {
  kind: RecordKind;
  node: string;
  host: string;
  desiredRevision?: string;
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  /** observe records: drifted objects by drift class (fleet status shows it). */
  drift?: Record<string, number>;
  /** the apply's run id in the journal (`<stateDir>/journal.jsonl`). */
  run?: string;
  /**
   * set when the record was rebuilt from the journal by a later run, because the apply was killed
   * after its last kernel write (`unrecorded`) or in the middle (`interrupted`); its `observed/`
   * is the state seen by the run that rebuilt it.
   */
  rebuilt?: 'unrecorded' | 'interrupted';
}

export interface RecordInput extends RecordHeader {
  plan?: unknown;
  outcome: ChangeOutcome[];
  snapshot: Snapshot;
}

/** The `record.json` of a record commit. */
export interface RecordMeta extends RecordHeader {
  formatVersion: 1;
  counts: Record<ChangeStatus, number>;
  snapshotHash: string;
  kinds: string[];
  /** version of the stored form of `observed/` (present with `kindHashes`). */
  observedForm?: number;
  /** sha256 of each kind's canonical resources, when the snapshot was hashed by observe: lets the next record reuse unchanged kind files. */
  kindHashes?: Record<string, string>;
}

export const refFor = (kind: RecordKind, node: string): string => recordRef(node, kind === 'observe' ? 'observed' : 'applied');

/**
 * The file tree of a record (pure: the same input gives the same bytes). Every file is a Buffer,
 * converted once, and `oids` holds its git blob id, hashed once: `putTree` writes only the blobs
 * the repo does not have yet (usually the one or two kind files the apply changed). `reuse`:
 * kinds whose file the repo has already (`reusableKinds`), given as `null` with their blob id.
 */
export function recordFiles(rec: RecordInput, reuse: ReadonlyMap<string, string> = new Map()): { files: Record<string, Buffer | null>; meta: RecordMeta; oids: Record<string, string> } {
  const files: Record<string, Buffer | null> = {};
  const oids: Record<string, string> = {};
  for (const [path, text] of Object.entries(snapshotFiles(rec.snapshot, new Set(reuse.keys())))) {
    const buf = Buffer.from(text);
    files[path] = buf;
    oids[path] = blobOid(buf);
  }
  for (const [kind, oid] of reuse) {
    files[observedPath(kind)] = null;
    oids[observedPath(kind)] = oid;
  }
  const kindHashes = kindHashesFor(rec.snapshot);
  const counts: Record<ChangeStatus, number> = { applied: 0, failed: 0, skipped: 0, blocked: 0 };
  for (const o of rec.outcome) counts[o.status] += 1;
  const meta: RecordMeta = {
    formatVersion: 1,
    kind: rec.kind,
    node: rec.node,
    host: rec.host,
    desiredRevision: rec.desiredRevision,
    startedAt: rec.startedAt,
    finishedAt: rec.finishedAt,
    ok: rec.ok,
    ...(rec.drift ? { drift: rec.drift } : {}),
    ...(rec.run ? { run: rec.run } : {}),
    ...(rec.rebuilt ? { rebuilt: rec.rebuilt } : {}),
    counts,
    snapshotHash: snapshotFilesHash(oids),
    kinds: [...new Set([...(rec.snapshot.kinds ?? []), ...[...rec.snapshot.resources.values()].map((r) => r.kind)])].sort(),
    ...(kindHashes ? { observedForm: OBSERVED_FORM, kindHashes } : {}),
  };
  const add = (path: string, text: string) => {
    const buf = Buffer.from(text);
    files[path] = buf;
    oids[path] = blobOid(buf);
  };
  add('record.json', `${JSON.stringify(meta, null, 2)}\n`);
  add('outcome.json', outcomeText(rec.outcome));
  if (rec.plan !== undefined) {
    const applied = new Set<string>();
    for (const o of rec.outcome) if (o.status === 'applied') applied.add(o.address);
    add('plan.json', planRecordText(rec.plan, applied));
  }
  return { files, meta, oids };
}

/** The outcome list, one change per line (a boot record has one line per object). */
const outcomeText = (outcome: ChangeOutcome[]): string => (outcome.length === 0 ? '[]\n' : `[\n${outcome.map(outcomeLine).join(',\n')}\n]\n`);

/** One outcome as JSON; the usual `{address, action, status}` without a JSON.stringify call (12,527 of them on a boot). */
function outcomeLine(o: ChangeOutcome): string {
  let keys = 0;
  for (const _ in o) keys++;
  return keys === 3 && o.error === undefined
    ? `{"address":${quoted(o.address)},"action":${quoted(o.action)},"status":${quoted(o.status)}}`
    : JSON.stringify(o);
}

function message(meta: RecordMeta): string {
  const rev = meta.desiredRevision ? meta.desiredRevision.slice(0, 12) : 'none';
  const c = meta.counts;
  const head =
    meta.kind === 'observe'
      ? `observe on ${meta.node}: snapshot ${meta.snapshotHash.slice(0, 12)}`
      : `${meta.kind} ${rev} on ${meta.node}: ${meta.ok ? 'ok' : 'FAILED'}, ${c.applied} applied, ${c.failed} failed, ${c.skipped} skipped, ${c.blocked} blocked`;
  const rebuilt = meta.rebuilt ? `\nRebuilt from the journal of run ${meta.run} (${meta.rebuilt === 'interrupted' ? 'the apply was killed before it finished' : 'the apply was killed before its record was written'}).\n` : '';
  return `${head}\n${rebuilt}\nDesired-Revision: ${meta.desiredRevision ?? 'none'}\nSanform-Record: ${meta.kind}\nSanform-Host: ${meta.host}\n`;
}

/**
 * Writes a record commit and returns its oid. Order: every object of the record (blobs, trees,
 * the commit) is written, then all of them are synced as one batch, then the ref moves (synced
 * on its own): a crash never leaves the ref naming a missing object.
 * With `skipIfSame` (default for `observe` records), no commit is made when the tree equals the
 * last record's tree, and the previous oid is returned: an unchanged drift is recorded once.
 */
export async function writeRecord(store: Store, rec: RecordInput, opts: { skipIfSame?: boolean; now?: Date } = {}): Promise<{ oid: string; created: boolean }> {
  const ref = refFor(rec.kind, rec.node);
  const { files, meta, oids } = recordFiles(rec, await reusableKinds(store, await tryResolve(store, ref), rec.snapshot));
  const skipIfSame = opts.skipIfSame ?? rec.kind === 'observe';
  if (skipIfSame) {
    files['record.json'] = Buffer.from(stableMeta(meta));
    oids['record.json'] = blobOid(files['record.json']);
  }
  const batch = batchObjectWrites(store.fs, store.gitdir);
  const staged: Store = { ...store, fs: batch.fs };
  try {
    const tree = await putTree(staged, files, oids);
    // the commit is dated when the apply finished, also when it is written later from the pending queue
    const finished = Date.parse(rec.finishedAt);
    const when = opts.now ?? (Number.isNaN(finished) ? new Date() : new Date(finished));
    const who = { ...sanformIdentity(rec.node), timestamp: Math.floor(when.getTime() / 1000) };
    for (let attempt = 0; ; attempt++) {
      const parent = await tryResolve(store, ref);
      if (skipIfSame && parent) {
        const { commit } = await git.readCommit({ fs: store.fs, gitdir: store.gitdir, oid: parent, cache: store.cache });
        if (commit.tree === tree) {
          await batch.discard();
          return { oid: parent, created: false };
        }
      }
      const oid = await putCommit(staged, { tree, parents: parent ? [parent] : [], who, message: message(meta) });
      await batch.flush();
      try {
        await updateRef(store, { ref, value: oid, expect: parent });
        return { oid, created: true };
      } catch (e) {
        if (!(e instanceof StateError && e.code === 'STATE_REF_MOVED') || attempt >= 3) throw e;
      }
    }
  } catch (e) {
    await batch.discard();
    throw e;
  }
}

/** record.json without times, so an unchanged observed state gives an unchanged tree. */
const stableMeta = (meta: RecordMeta): string =>
  `${JSON.stringify({ ...meta, startedAt: undefined, finishedAt: undefined }, null, 2)}\n`;
