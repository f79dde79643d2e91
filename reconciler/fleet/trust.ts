/**
 * Which keys this appliance trusts to sign desired-state commits: the bootstrap file named in
 * the state repository's config (`sanform.allowedSigners`, a path on the appliance, never in
 * git, written by `sanform init --allowed-signers`), plus the `signing.allowedSigners` of the
 * fleet.yaml at the revision this repository already holds (verified when it arrived). A pushed
 * or fetched commit is verified against these, never against the keys it brings itself.
 */
import { open } from 'node:fs/promises';
import git from 'isomorphic-git';
import { listTree, readText, tryResolve, type Store } from '../state/store.js';
import { CONFIG } from '../state/init.js';
import { FLEET_FILE, parseFleet } from './fleet-file.js';

/** an allowed-signers file is a few keys; anything larger is not one. */
const MAX_SIGNERS_BYTES = 64 * 1024;

/** Lines of a local allowed-signers file (comments and blank lines dropped); [] when unset. */
export async function bootstrapSigners(store: Store): Promise<string[]> {
  const path = (await git.getConfig({ fs: store.fs, gitdir: store.gitdir, path: CONFIG.allowedSigners })) as string | undefined;
  if (!path) return [];
  const fh = await open(path, 'r');
  try {
    const st = await fh.stat();
    if (!st.isFile() || st.size > MAX_SIGNERS_BYTES) throw new Error(`${path} is not a regular file of at most ${MAX_SIGNERS_BYTES} bytes`);
    const text = (await fh.readFile()).toString('utf8');
    return text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  } finally {
    await fh.close();
  }
}

/** The signers of the fleet.yaml at `rev` ([] when it has none or is no fleet revision). */
export async function fleetSignersAt(store: Store, rev: string | undefined): Promise<string[]> {
  const oid = rev ? await tryResolve(store, rev) : undefined;
  if (!oid || !(await listTree(store, oid)).includes(FLEET_FILE)) return [];
  return parseFleet(FLEET_FILE, (await readText(store, oid, FLEET_FILE)) ?? '').fleet?.signers ?? [];
}

/** Every key trusted now, given the revision already held (`trustedRev`). */
export async function trustedSigners(store: Store, trustedRev: string | undefined): Promise<string[]> {
  return [...new Set([...(await bootstrapSigners(store)), ...(await fleetSignersAt(store, trustedRev))])];
}

/** Whether this repository demands signed commits: it has trusted keys, or its main is a fleet revision. */
export async function signingRequired(store: Store, trustedRev: string | undefined): Promise<boolean> {
  const oid = trustedRev ? await tryResolve(store, trustedRev) : undefined;
  if ((await trustedSigners(store, trustedRev)).length > 0) return true;
  return oid ? (await listTree(store, oid)).includes(FLEET_FILE) : false;
}
