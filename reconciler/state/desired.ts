import git from 'isomorphic-git';
import { StateError } from './errors.js';
import { DESIRED_REF, listTree, putCommit, readText, resolveRev, updateRef, type Identity, type Store } from './store.js';
import type { Diagnostic, SourceText } from '../load/types.js';
import { isFleetTree, readFleet, viewTexts } from '../fleet/view.js';

/** The desired-state files of one revision, ready for loadDesiredTexts. */
export interface DesiredAtRev {
  revision: string;
  files: SourceText[];
  /** a fleet revision whose fleet.yaml is invalid or does not list the node: why `files` is empty. */
  diagnostics?: Diagnostic[];
}

/**
 * Which files of a commit are the desired state: `sanform.yaml` at the top and every
 * `*.yaml`/`*.yml` under `sanform.d/`. Other files (CI config, docs) are ignored.
 */
export const isDesiredFile = (path: string): boolean =>
  path === 'sanform.yaml' || (path.startsWith('sanform.d/') && /\.ya?ml$/.test(path));

/**
 * Reads the desired-state files at `rev` (default: main). In a fleet repository (fleet.yaml at
 * the top, reconciler/fleet) they are `node`'s view, layered.
 */
export async function readDesired(store: Store, rev = DESIRED_REF, node?: string): Promise<DesiredAtRev> {
  const revision = await resolveRev(store, rev);
  const all = await listTree(store, revision);
  if (isFleetTree(all)) {
    const tree = { paths: all, read: async (p: string) => (await readText(store, revision, p)) ?? '' };
    const f = await readFleet(tree);
    if (!f.fleet) return { revision, files: [], diagnostics: f.diagnostics };
    const v = await viewTexts(tree, f.fleet, node ?? '');
    return v.texts.length ? { revision, files: v.texts } : { revision, files: [], diagnostics: v.diagnostics };
  }
  const paths = all.filter(isDesiredFile).sort();
  if (paths.length === 0) {
    throw new StateError('STATE_NO_DESIRED', `revision ${revision.slice(0, 12)} has no sanform.yaml`, {
      data: { repo: store.gitdir, rev: revision },
      hint: 'commit a sanform.yaml at the top of the repository',
    });
  }
  const files = [];
  for (const file of paths) files.push({ file, text: (await readText(store, revision, file)) ?? '' });
  return { revision, files };
}

/** Trailer of a rollback commit on main; watch records its apply as a `rollback`. */
export const ROLLBACK_TRAILER = 'Sanform-Rollback';

/** Whether a commit on main is a rollback made by `sanform rollback` (its trailer). */
export async function isRollback(store: Store, oid: string): Promise<boolean> {
  const { commit } = await git.readCommit({ fs: store.fs, gitdir: store.gitdir, oid, cache: store.cache });
  return new RegExp(`^${ROLLBACK_TRAILER}: [0-9a-f]{40}$`, 'm').test(commit.message);
}

export const sanformIdentity = (node: string): Identity => ({ name: 'sanform', email: `sanform@${node}` });

/**
 * Records `rev`'s desired state as a new commit on main (a rollback): the new commit has the
 * tree of `rev` and the current main as parent, so history only grows.
 */
export async function commitRollback(store: Store, p: { rev: string; node: string; message?: string }): Promise<string> {
  const target = await resolveRev(store, p.rev);
  const head = await resolveRev(store, DESIRED_REF);
  const { commit } = await git.readCommit({ fs: store.fs, gitdir: store.gitdir, oid: target, cache: store.cache });
  const oid = await putCommit(store, {
    tree: commit.tree,
    parents: [head],
    who: { ...sanformIdentity(p.node), timestamp: Math.floor(Date.now() / 1000) },
    message: p.message ?? `Rollback to ${target.slice(0, 12)}\n\nRestores the desired state of ${target}.\n\n${ROLLBACK_TRAILER}: ${target}\n`,
  });
  await updateRef(store, { ref: DESIRED_REF, value: oid, expect: head });
  return oid;
}
