/**
 * `-c PATH` for commands that load the desired state: a file, a directory, or the top of a
 * fleet checkout (fleet.yaml there), which is loaded as one node's view.
 */
import { loadDesired } from '../load/load.js';
import type { LoadResult } from '../load/types.js';
import { dirTree, isFleetDir } from './trees.js';
import { loadView, readFleet } from './view.js';

/** Loads `path`; in a fleet checkout as `node()`'s view (the node is asked for only then). */
export async function loadConfig(path: string, node: () => Promise<string | undefined>): Promise<LoadResult> {
  if (!(await isFleetDir(path))) return loadDesired(path);
  const tree = await dirTree(path);
  const name = await node();
  if (name === undefined) {
    const f = await readFleet(tree);
    const known = f.fleet ? [...f.fleet.nodes.keys()].join(', ') : 'see fleet.yaml';
    return {
      ok: false, files: [tree.shown!('fleet.yaml')],
      diagnostics: [{ file: tree.shown!('fleet.yaml'), line: 0, col: 0, path: '', code: 'FLEET_UNKNOWN_NODE', severity: 'error', message: `${path} is a fleet repository: say which node's view to use`, hint: `pass --node NAME (one of: ${known}), or plan --all` }],
    };
  }
  return loadView(tree, name);
}
