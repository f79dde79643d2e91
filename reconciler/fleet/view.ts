/**
 * A node's view of a fleet repository: the YAML files under `common/` (layer 0), under
 * `groups/<its group>/` (layer 1) and under `nodes/<its pair or its name>/` (layer 2), loaded
 * with overrides (reconciler/load/overlay.ts). The same code reads a checkout and a git revision.
 */
import { loadDesiredTexts } from '../load/load.js';
import type { Diagnostic, LoadResult, SourceText } from '../load/types.js';
import { FLEET_FILE, parseFleet, type Fleet } from './fleet-file.js';

/** The files of a repository tree, by `/`-separated path relative to its top. */
export interface FleetTree {
  paths: readonly string[];
  read(path: string): Promise<string>;
  /** how a path is named in diagnostics (a checkout: the file system path). */
  shown?(path: string): string;
}

export const isFleetTree = (paths: readonly string[]): boolean => paths.includes(FLEET_FILE);

const isYaml = (p: string): boolean => /\.ya?ml$/.test(p);

/** Paths of `node`'s view in load order, each with its layer. */
export function viewPaths(fleet: Fleet, node: string, paths: readonly string[]): { path: string; layer: number }[] {
  const n = fleet.nodes.get(node);
  if (!n) return [];
  const dirs = ['common/', ...(n.group ? [`groups/${n.group}/`] : []), `nodes/${n.pair ?? n.name}/`];
  return dirs.flatMap((dir, layer) => paths.filter((p) => p.startsWith(dir) && isYaml(p)).sort().map((path) => ({ path, layer })));
}

const fileDiag = (file: string, code: Diagnostic['code'], message: string, hint: string): Diagnostic =>
  ({ file, line: 0, col: 0, path: '', code, severity: 'error', message, hint });

/** Reads and checks `fleet.yaml`. */
export async function readFleet(tree: FleetTree): Promise<{ fleet?: Fleet; diagnostics: Diagnostic[] }> {
  return parseFleet(tree.shown?.(FLEET_FILE) ?? FLEET_FILE, await tree.read(FLEET_FILE));
}

/** The texts of `node`'s view, or why there are none. */
export async function viewTexts(tree: FleetTree, fleet: Fleet, node: string): Promise<{ texts: SourceText[]; diagnostics: Diagnostic[] }> {
  const fleetFile = tree.shown?.(FLEET_FILE) ?? FLEET_FILE;
  if (!fleet.nodes.has(node)) {
    const known = [...fleet.nodes.keys()].join(', ');
    return { texts: [], diagnostics: [fileDiag(fleetFile, 'FLEET_UNKNOWN_NODE', `node ${node} is not in this fleet (nodes: ${known})`, 'pass --node with one of the nodes fleet.yaml lists, or add this node to it')] };
  }
  const paths = viewPaths(fleet, node, tree.paths);
  if (paths.length === 0) {
    const n = fleet.nodes.get(node)!;
    return { texts: [], diagnostics: [fileDiag(fleetFile, 'FLEET_NODE_FILES', `node ${node} has no desired-state files`, `add YAML files under nodes/${n.pair ?? node}/${n.group ? `, groups/${n.group}/` : ''} or common/`)] };
  }
  const texts: SourceText[] = [];
  for (const p of paths) texts.push({ file: tree.shown?.(p.path) ?? p.path, text: await tree.read(p.path), layer: p.layer });
  return { texts, diagnostics: [] };
}

/** Loads `node`'s view: fleet.yaml checked first, then the composed desired state. */
export async function loadView(tree: FleetTree, node: string): Promise<LoadResult & { fleet?: Fleet }> {
  const f = await readFleet(tree);
  if (!f.fleet) return { ok: false, files: [FLEET_FILE], diagnostics: f.diagnostics };
  const v = await viewTexts(tree, f.fleet, node);
  if (v.texts.length === 0) return { ok: false, files: [FLEET_FILE], diagnostics: v.diagnostics };
  return { ...loadDesiredTexts(v.texts), fleet: f.fleet };
}

/**
 * Every node's view checked at once; a finding in a shared file is reported once, naming the
 * nodes it concerns when not all of them.
 */
export async function validateFleet(tree: FleetTree): Promise<{ ok: boolean; fleet?: Fleet; diagnostics: Diagnostic[]; nodes: Map<string, boolean> }> {
  const f = await readFleet(tree);
  const nodes = new Map<string, boolean>();
  if (!f.fleet) return { ok: false, diagnostics: f.diagnostics, nodes };
  const seen = new Map<string, { d: Diagnostic; nodes: string[] }>();
  for (const node of f.fleet.nodes.keys()) {
    const r = await loadView(tree, node);
    nodes.set(node, r.ok);
    for (const d of r.diagnostics) {
      const key = `${d.file}\0${d.line}\0${d.col}\0${d.code}\0${d.message}`;
      const s = seen.get(key) ?? seen.set(key, { d, nodes: [] }).get(key)!;
      s.nodes.push(node);
    }
  }
  const all = f.fleet.nodes.size;
  const diagnostics = [...f.diagnostics, ...[...seen.values()].map(({ d, nodes: ns }) => (ns.length === all || all === 1 ? d : { ...d, message: `${d.message} (for ${ns.join(', ')})` }))];
  return { ok: [...nodes.values()].every(Boolean) && !diagnostics.some((d) => d.severity === 'error'), fleet: f.fleet, diagnostics, nodes };
}
