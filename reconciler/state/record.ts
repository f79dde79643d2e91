import git from 'isomorphic-git';
import type { Snapshot } from '../core/resource.js';
import { sanformIdentity } from './desired.js';
import { StateError } from './errors.js';
import { scrubbedJson, snapshotFiles, snapshotFilesHash } from './snapshot-files.js';
import { blobOid, putTree, recordRef, tryResolve, updateRef, type Store } from './store.js';

/**
 * One record commit on `refs/sanform/<node>/applied` (or `/observed` for drift seen by watch).
 * Its tree: `record.json` (what, when, which desired revision, the result), `plan.json`,
 * `outcome.json` (one entry per change) and `observed/<kind>.json` (the snapshot after apply).
 */
export type RecordKind = 'apply' | 'boot' | 'rollback' | 'correct' | 'observe';

export type ChangeStatus = 'applied' | 'failed' | 'skipped' | 'blocked';

export interface ChangeOutcome {
  address: string;
  action: string;
  status: ChangeStatus;
  error?: { code: string; message: string };
}

export interface RecordInput {
  kind: RecordKind;
  node: string;
  host: string;
  desiredRevision?: string;
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  plan?: unknown;
  outcome: ChangeOutcome[];
  snapshot: Snapshot;
}

/** The `record.json` of a record commit. */
export interface RecordMeta {
  formatVersion: 1;
  kind: RecordKind;
  node: string;
  host: string;
  desiredRevision?: string;
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  counts: Record<ChangeStatus, number>;
  snapshotHash: string;
  kinds: string[];
}

export const refFor = (kind: RecordKind, node: string): string => recordRef(node, kind === 'observe' ? 'observed' : 'applied');

/** The file tree of a record (pure: the same input gives the same bytes). */
export function recordFiles(rec: RecordInput): { files: Record<string, string>; meta: RecordMeta; oids: Record<string, string> } {
  const observed = snapshotFiles(rec.snapshot);
  const oids: Record<string, string> = {};
  for (const [path, text] of Object.entries(observed)) oids[path] = blobOid(Buffer.from(text));
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
    counts,
    snapshotHash: snapshotFilesHash(oids),
    kinds: [...new Set([...(rec.snapshot.kinds ?? []), ...[...rec.snapshot.resources.values()].map((r) => r.kind)])].sort(),
  };
  const files: Record<string, string> = {
    'record.json': `${JSON.stringify(meta, null, 2)}\n`,
    'outcome.json': `${JSON.stringify(rec.outcome, null, 2)}\n`,
    ...observed,
  };
  if (rec.plan !== undefined) files['plan.json'] = planText(rec.plan);
  return { files, meta, oids };
}

/** The plan as canonical JSON with one change per line (readable diffs, cheap to scrub). */
function planText(plan: unknown): string {
  const p = plan as { changes?: unknown[] };
  if (!p || typeof p !== 'object' || !Array.isArray(p.changes)) return `${scrubbedJson(plan)}\n`;
  const head = scrubbedJson({ ...p, changes: [] });
  const changes = p.changes.map(scrubbedJson).join(',\n');
  return `${head.slice(0, head.lastIndexOf('"changes":[]') + '"changes":['.length)}\n${changes}\n${head.slice(head.lastIndexOf('"changes":[]') + '"changes":['.length)}\n`;
}

function message(meta: RecordMeta): string {
  const rev = meta.desiredRevision ? meta.desiredRevision.slice(0, 12) : 'none';
  const c = meta.counts;
  const head =
    meta.kind === 'observe'
      ? `observe on ${meta.node}: snapshot ${meta.snapshotHash.slice(0, 12)}`
      : `${meta.kind} ${rev} on ${meta.node}: ${meta.ok ? 'ok' : 'FAILED'}, ${c.applied} applied, ${c.failed} failed, ${c.skipped} skipped, ${c.blocked} blocked`;
  return `${head}\n\nDesired-Revision: ${meta.desiredRevision ?? 'none'}\nSanform-Record: ${meta.kind}\nSanform-Host: ${meta.host}\n`;
}

/**
 * Writes a record commit (objects first, then the ref, each synced) and returns its oid.
 * With `skipIfSame` (default for `observe` records), no commit is made when the tree equals the
 * last record's tree, and the previous oid is returned: an unchanged drift is recorded once.
 */
export async function writeRecord(store: Store, rec: RecordInput, opts: { skipIfSame?: boolean; now?: Date } = {}): Promise<{ oid: string; created: boolean }> {
  const { files, meta, oids } = recordFiles(rec);
  const skipIfSame = opts.skipIfSame ?? rec.kind === 'observe';
  const tree = await putTree(store, skipIfSame ? { ...files, 'record.json': stableMeta(meta) } : files, oids);
  const ref = refFor(rec.kind, rec.node);
  // the commit is dated when the apply finished, also when it is written later from the pending queue
  const finished = Date.parse(rec.finishedAt);
  const when = opts.now ?? (Number.isNaN(finished) ? new Date() : new Date(finished));
  const who = { ...sanformIdentity(rec.node), timestamp: Math.floor(when.getTime() / 1000), timezoneOffset: 0 };
  for (let attempt = 0; ; attempt++) {
    const parent = await tryResolve(store, ref);
    if (skipIfSame && parent) {
      const { commit } = await git.readCommit({ fs: store.fs, gitdir: store.gitdir, oid: parent, cache: store.cache });
      if (commit.tree === tree) return { oid: parent, created: false };
    }
    const oid = await git.writeCommit({
      fs: store.fs,
      gitdir: store.gitdir,
      commit: { tree, parent: parent ? [parent] : [], author: who, committer: who, message: message(meta) },
    });
    try {
      await updateRef(store, { ref, value: oid, expect: parent });
      return { oid, created: true };
    } catch (e) {
      if (!(e instanceof StateError && e.code === 'STATE_REF_MOVED') || attempt >= 3) throw e;
    }
  }
}

/** record.json without times, so an unchanged observed state gives an unchanged tree. */
const stableMeta = (meta: RecordMeta): string =>
  `${JSON.stringify({ ...meta, startedAt: undefined, finishedAt: undefined }, null, 2)}\n`;
