import git from 'isomorphic-git';
import type { Snapshot } from '../core/resource.js';
import { INVENTORY_FILE, parseInventoryText } from './record.js';
import { StateError } from './errors.js';
import type { RecordMeta } from './record.js';
import { OBSERVED_DIR, snapshotFromFiles } from './snapshot-files.js';
import { listTree, readText, recordRef, tryResolve, type Store } from './store.js';

/** One entry of `sanform log`: a record commit and its record.json. */
export interface RecordEntry {
  commit: string;
  time: string;
  ref: string;
  meta: RecordMeta;
}

/** Reads the record history of a node, newest first (both refs merged by time). */
export async function readRecords(store: Store, p: { node: string; limit?: number; refs?: ('applied' | 'observed')[] }): Promise<RecordEntry[]> {
  const limit = p.limit ?? 20;
  const out: RecordEntry[] = [];
  for (const which of p.refs ?? ['applied', 'observed']) {
    const ref = recordRef(p.node, which);
    if (!(await tryResolve(store, ref))) continue;
    const commits = await git.log({ fs: store.fs, gitdir: store.gitdir, ref, depth: limit, cache: store.cache });
    for (const c of commits) {
      const text = await readText(store, c.oid, 'record.json');
      if (!text) continue;
      const time = new Date(c.commit.committer.timestamp * 1000).toISOString();
      out.push({ commit: c.oid, time, ref, meta: JSON.parse(text) as RecordMeta });
    }
  }
  // newest first: record.json's finishedAt has millisecond precision, commit times only seconds
  const key = (e: RecordEntry) => `${e.time.slice(0, 19)}|${e.meta.finishedAt}`;
  out.sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : a.ref < b.ref ? -1 : 1));
  return out.slice(0, limit);
}

/** Reads the snapshot stored in one record commit. */
export async function readSnapshotAt(store: Store, commit: string): Promise<{ snapshot: Snapshot; meta: RecordMeta }> {
  const metaText = await readText(store, commit, 'record.json');
  if (!metaText) throw new StateError('STATE_NO_RECORD', `${commit.slice(0, 12)} is not a sanform record`, { data: { repo: store.gitdir, rev: commit } });
  const meta = JSON.parse(metaText) as RecordMeta;
  const files: Record<string, string> = {};
  for (const path of await listTree(store, commit)) {
    if (path.startsWith(`${OBSERVED_DIR}/`)) files[path] = (await readText(store, commit, path)) ?? '';
  }
  const snapshot = snapshotFromFiles(files, { node: meta.node, takenAt: meta.finishedAt, source: `git:${meta.node}@${commit.slice(0, 12)}`, kinds: meta.kinds });
  const inventory = await readText(store, commit, INVENTORY_FILE);
  if (inventory) snapshot.inventory = parseInventoryText(inventory);
  return { snapshot, meta };
}

/**
 * The newest recorded snapshot of a node (the later of its applied and observed records): what
 * CI plans against with `plan --observed git:<node>`.
 */
export async function lastSnapshot(store: Store, node: string): Promise<{ commit: string; snapshot: Snapshot; meta: RecordMeta }> {
  const [newest] = await readRecords(store, { node, limit: 1 });
  if (!newest) {
    throw new StateError('STATE_NO_RECORD', `no record for node '${node}' in ${store.gitdir}`, {
      data: { repo: store.gitdir },
      hint: 'the node records its state on every apply; check the node name (--node) and that it has applied once',
    });
  }
  const { snapshot, meta } = await readSnapshotAt(store, newest.commit);
  return { commit: newest.commit, snapshot, meta };
}

/** The desired revision of the last successful apply record of a node (what boot converges to). */
export async function lastGoodRevision(store: Store, node: string): Promise<string | undefined> {
  const entries = await readRecords(store, { node, limit: 200, refs: ['applied'] });
  return entries.find((e) => e.meta.ok && e.meta.desiredRevision)?.meta.desiredRevision;
}
