import git from 'isomorphic-git';
import type { Snapshot } from '../core/resource.js';
import { knownKindHashes } from '../snapshot/canonical.js';
import type { RecordMeta } from './record.js';
import { OBSERVED_DIR, OBSERVED_FORM } from './snapshot-files.js';
import { readText, type Store } from './store.js';

/**
 * The kind files of the previous record that the next one can take as they are, by kind (blob
 * ids). Observing a snapshot hashes each kind's resources anyway (`knownKindHashes`); a record
 * stores those hashes in `record.json`, so when a kind's hash equals the previous record's (and
 * the stored form is the same version), its file would be the same bytes: the blob the previous
 * record's tree names is reused, and the kind is neither serialized nor hashed again. A typical
 * apply changes one or two kinds; a boot after a reboot usually none.
 *
 * A snapshot that was not hashed (from the pending queue, or the plan's view when observing after
 * apply failed) reuses nothing: every kind is written out, as before.
 */
export async function reusableKinds(store: Store, parent: string | undefined, snapshot: Snapshot): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const now = knownKindHashes(snapshot);
  if (!parent || !now) return out;
  const prev = parseMeta(await readText(store, parent, 'record.json'));
  if (prev?.observedForm !== OBSERVED_FORM || !prev.kindHashes) return out;
  const same = [...now].filter(([kind, hash]) => prev.kindHashes![kind] === hash).map(([kind]) => kind);
  if (same.length === 0) return out;
  const { tree } = await git.readTree({ fs: store.fs, gitdir: store.gitdir, oid: parent, filepath: OBSERVED_DIR, cache: store.cache }).catch(() => ({ tree: [] }));
  const blobs = new Map(tree.filter((e) => e.type === 'blob').map((e) => [e.path, e.oid]));
  for (const kind of same) {
    const oid = blobs.get(`${kind}.json`);
    if (oid) out.set(kind, oid);
  }
  return out;
}

/** The per-kind hashes of a snapshot, for its record's `record.json` (undefined when it was not hashed). */
export function kindHashesFor(snapshot: Snapshot): Record<string, string> | undefined {
  const known = knownKindHashes(snapshot);
  return known ? Object.fromEntries([...known].sort(([a], [b]) => (a < b ? -1 : 1))) : undefined;
}

function parseMeta(text: string | undefined): Partial<RecordMeta> | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as Partial<RecordMeta>;
  } catch {
    return undefined; // a foreign or torn record.json: reuse nothing
  }
}
