/**
 * `fleet.yaml`, the map of a fleet repository: which nodes it drives, the group each belongs to
 * (their shared files), the rollout waves, and the keys whose signed commits may be applied.
 * Parsed with positions, checked by hand (the file is small), every mistake reported at once.
 */
import { parseFile } from '../load/parse.js';
import { formatPath, type PathIndex, type PathSeg } from '../load/sources.js';
import type { Diagnostic, DiagnosticCode } from '../load/types.js';

export const FLEET_FILE = 'fleet.yaml';

export interface FleetNode {
  name: string;
  group?: string;
  /** nodes sharing a pair take their files from `nodes/<pair>/`, whose YAML declares both. */
  pair?: string;
  labels: Record<string, string>;
}

export interface Wave {
  name: string;
  /** members in fleet order. */
  nodes: string[];
}

export interface Fleet {
  nodes: Map<string, FleetNode>;
  groups: string[];
  /** in rollout order; every node is in exactly one (a node no wave selects is in the last, `rest`). */
  waves: Wave[];
  /** ssh allowed-signers lines (`principal keytype key`), one per key. */
  signers: string[];
}

/** node, group, pair and wave names: safe as git ref components and directory names. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const SIGNER = /^[^\s"#]+ (ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,2}( [\x20-\x7e]*)?$/;

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly file: string, readonly index: PathIndex) {}
  error(path: PathSeg[], code: DiagnosticCode, message: string, hint: string): void {
    this.diagnostics.push({ ...this.index.locate(path), file: this.file, path: formatPath(path), code, severity: 'error', message, hint });
  }
  /** `v` as a map with only `allowed` keys, or undefined (reported). */
  map(path: PathSeg[], v: unknown, allowed: string[]): Record<string, unknown> | undefined {
    if (!isMap(v)) {
      this.error(path, 'FLEET_INVALID', `${formatPath(path) || 'fleet.yaml'} must be a mapping`, `write it as { key: value, ... }`);
      return undefined;
    }
    for (const k of Object.keys(v)) {
      if (!allowed.includes(k)) this.error([...path, k], 'FLEET_INVALID', `unknown key ${k}`, `allowed here: ${allowed.join(', ')}`);
    }
    return v;
  }
  name(path: PathSeg[], name: string, what: string): boolean {
    if (NAME.test(name)) return true;
    this.error(path, 'FLEET_INVALID', `${what} name ${JSON.stringify(name)} is not allowed`, 'use letters, digits, ".", "_" and "-" (at most 63, starting with a letter or digit)');
    return false;
  }
  strings(path: PathSeg[], v: unknown): string[] {
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      this.error(path, 'FLEET_INVALID', `${formatPath(path)} must be a list of names`, 'write it as [a, b]');
      return [];
    }
    return v as string[];
  }
  labels(path: PathSeg[], v: unknown): Record<string, string> {
    if (v === undefined) return {};
    const m = this.map(path, v, Object.keys(isMap(v) ? v : {}));
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(m ?? {})) {
      if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
      else this.error([...path, k], 'FLEET_INVALID', `label ${k} must be a string`, 'labels are key: value pairs of strings');
    }
    return out;
  }
}

/** Parses and checks `fleet.yaml`; `fleet` is set only when there is no error. */
export function parseFleet(file: string, text: string): { fleet?: Fleet; diagnostics: Diagnostic[] } {
  const parsed = parseFile(file, text);
  if (parsed.value === undefined || parsed.diagnostics.some((d) => d.severity === 'error')) return { diagnostics: parsed.diagnostics };
  const c = new Checker(file, parsed.index);
  const root = c.map([], parsed.value, ['version', 'groups', 'nodes', 'waves', 'signing']);
  if (!root) return { diagnostics: c.diagnostics };
  if (root.version !== 1) c.error(['version'], 'FLEET_INVALID', 'fleet.yaml needs version: 1', 'add `version: 1` at the top');
  const groups = Object.keys(c.map(['groups'], root.groups ?? {}, Object.keys(isMap(root.groups) ? root.groups : {})) ?? {});
  for (const g of groups) {
    c.name(['groups', g], g, 'group');
    c.map(['groups', g], (root.groups as Record<string, unknown>)[g] ?? {}, ['labels', 'description']);
  }
  const nodes = new Map<string, FleetNode>();
  const nodeMap = c.map(['nodes'], root.nodes ?? {}, Object.keys(isMap(root.nodes) ? root.nodes : {})) ?? {};
  if (Object.keys(nodeMap).length === 0) c.error(['nodes'], 'FLEET_INVALID', 'fleet.yaml declares no nodes', 'list the appliances under nodes:, e.g. nodes: { esos-01: { group: edge } }');
  for (const [name, v] of Object.entries(nodeMap)) {
    const path = ['nodes', name];
    c.name(path, name, 'node');
    const n = c.map(path, v ?? {}, ['group', 'pair', 'labels', 'description']) ?? {};
    if (n.group !== undefined && (typeof n.group !== 'string' || !groups.includes(n.group))) {
      c.error([...path, 'group'], 'FLEET_UNKNOWN_GROUP', `node ${name} is in group ${JSON.stringify(n.group)}, which groups: does not declare`, `declare it (groups: { ${String(n.group)}: {} }) or fix the name`);
    }
    if (n.pair !== undefined && (typeof n.pair !== 'string' || !c.name([...path, 'pair'], n.pair, 'pair'))) continue;
    nodes.set(name, { name, group: n.group as string | undefined, pair: n.pair as string | undefined, labels: c.labels([...path, 'labels'], n.labels) });
  }
  const waves = parseWaves(c, root.waves, nodes, groups);
  const signers = parseSigners(c, root.signing);
  return c.diagnostics.some((d) => d.severity === 'error') ? { diagnostics: c.diagnostics } : { fleet: { nodes, groups, waves, signers }, diagnostics: c.diagnostics };
}

function parseWaves(c: Checker, v: unknown, nodes: Map<string, FleetNode>, groups: string[]): Wave[] {
  const waves: Wave[] = [];
  const placed = new Set<string>();
  const list = v === undefined ? [] : Array.isArray(v) ? v : (c.error(['waves'], 'FLEET_INVALID', 'waves must be a list, canary first', 'waves: [{ name: canary, nodes: [esos-01] }, { name: rest, groups: [edge] }]'), []);
  list.forEach((w, i) => {
    const path = ['waves', i];
    const m = c.map(path, w, ['name', 'nodes', 'groups', 'labels']);
    if (!m) return;
    const name = typeof m.name === 'string' ? m.name : `wave-${i + 1}`;
    if (typeof m.name !== 'string' || !c.name([...path, 'name'], name, 'wave')) {
      if (typeof m.name !== 'string') c.error(path, 'FLEET_INVALID', `wave ${i + 1} has no name`, 'give it one: { name: canary, ... }');
    }
    if (waves.some((x) => x.name === name)) c.error([...path, 'name'], 'FLEET_INVALID', `wave ${name} is declared twice`, 'give each wave its own name');
    const byName = c.strings([...path, 'nodes'], m.nodes ?? []);
    const byGroup = c.strings([...path, 'groups'], m.groups ?? []);
    const labels = c.labels([...path, 'labels'], m.labels);
    for (const n of byName) if (!nodes.has(n)) c.error([...path, 'nodes'], 'FLEET_UNKNOWN_NODE', `wave ${name} names node ${n}, which nodes: does not declare`, 'fix the name or declare the node');
    for (const g of byGroup) if (!groups.includes(g)) c.error([...path, 'groups'], 'FLEET_UNKNOWN_GROUP', `wave ${name} names group ${g}, which groups: does not declare`, 'fix the name or declare the group');
    const selects = (n: FleetNode): boolean =>
      byName.includes(n.name) || (n.group !== undefined && byGroup.includes(n.group)) ||
      (Object.keys(labels).length > 0 && Object.entries(labels).every(([k, x]) => n.labels[k] === x));
    // a node belongs to the first wave that selects it (a canary named first is not rolled again)
    const members = [...nodes.values()].filter((n) => !placed.has(n.name) && selects(n)).map((n) => n.name);
    for (const n of members) placed.add(n);
    waves.push({ name, nodes: members });
  });
  const rest = [...nodes.keys()].filter((n) => !placed.has(n));
  if (rest.length > 0) waves.push({ name: waves.some((w) => w.name === 'rest') ? 'rest-unselected' : 'rest', nodes: rest });
  return waves;
}

function parseSigners(c: Checker, v: unknown): string[] {
  if (v === undefined) return [];
  const m = c.map(['signing'], v, ['allowedSigners']);
  if (!m) return [];
  const lines = m.allowedSigners === undefined ? [] : Array.isArray(m.allowedSigners) ? m.allowedSigners : [m.allowedSigners];
  const out: string[] = [];
  lines.forEach((line, i) => {
    // each line goes into an allowed-signers file: one key per line, nothing that could add another
    if (typeof line === 'string' && SIGNER.test(line)) out.push(line);
    else {
      c.error(['signing', 'allowedSigners', i], 'FLEET_SIGNER_INVALID', `allowedSigners[${i}] is not one allowed-signers line`, 'write `PRINCIPAL KEYTYPE BASE64KEY`, e.g. `alice@example.com ssh-ed25519 AAAAC3Nza...` (the public key line, prefixed with who it is)');
    }
  });
  return out;
}

/** The wave a node rolls out in (index into `fleet.waves`). */
export function waveOf(fleet: Fleet, node: string): number {
  return fleet.waves.findIndex((w) => w.nodes.includes(node));
}
