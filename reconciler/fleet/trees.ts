/** FleetTree adapters: a checkout on disk, and one revision of a git repository. */
import { readFile, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { listTree, readText, type Store } from '../state/store.js';
import type { FleetTree } from './view.js';
import { FLEET_FILE } from './fleet-file.js';
import { stat } from 'node:fs/promises';

/** Whether `dir` is the top of a fleet checkout (it holds fleet.yaml). */
export async function isFleetDir(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory() && (await stat(join(dir, FLEET_FILE))).isFile();
  } catch {
    return false;
  }
}

/** A fleet checkout; dot-entries and node_modules are skipped. */
export async function dirTree(dir: string): Promise<FleetTree> {
  const paths: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) paths.push(relative(dir, p).split(sep).join('/'));
    }
  };
  await walk(dir);
  return { paths, read: (p) => readFile(join(dir, p), 'utf8'), shown: (p) => join(dir, p) };
}

/** One revision of a repository. */
export async function revisionTree(store: Store, revision: string): Promise<FleetTree> {
  const paths = await listTree(store, revision);
  return { paths, read: async (p) => (await readText(store, revision, p)) ?? '' };
}
