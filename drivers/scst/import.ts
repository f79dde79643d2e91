/**
 * `sanform import`: YAML for what is live now (one readTree) or for an existing scst.conf. CHAP
 * secrets are moved out of the YAML: each becomes a `secrets:` entry pointing at a file (mode
 * 0600) in the secrets directory. Output is comment-free with sorted maps, and the plan right
 * after an import is empty.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import type { Resource } from '../../reconciler/core/resource.js';
import type { Host } from '../../reconciler/host/host.js';
import { SCST_ROOT } from '../../reconciler/host/host.js';
import type { SanformModel } from '../../schema/model.js';
import { parseAddr } from './address.js';
import { ConfSyntaxError, parseConf } from './conf/parse.js';
import { confToResources } from './conf/to-resources.js';
import type { ChapSpec, ChapStatus } from './kinds.js';
import { OBSERVE_SKIP, observeTree } from './observe.js';
import { PEER_NODE } from './to-model-alua.js';
import { resourcesToModel } from './to-model.js';
import { Tree } from './tree.js';

export interface ImportedSecret {
  name: string;
  file: string;
  value: string;
}

export interface ImportResult {
  model: SanformModel;
  yaml: string;
  secrets: ImportedSecret[];
}

export interface ImportOptions {
  /** absolute directory the secret files go to. */
  secretsDir: string;
  /** this node's name (used only when a peer's ALUA target group needs `nodes:`). */
  node: string;
  /** the scst.conf file's path, named in syntax errors (default `scst.conf`). */
  file?: string;
}

/** imports the live SCST configuration of a host. */
export async function importLive(host: Host, opts: ImportOptions): Promise<ImportResult> {
  const tree = new Tree(await host.sysfs.readTree(SCST_ROOT, OBSERVE_SKIP));
  const resources = observeTree(tree);
  const plain = new Map<string, string>();
  for (const r of resources) {
    if (r.kind !== 'scst.chap-user') continue;
    const file = (r.status as ChapStatus | undefined)?.file;
    const p = parseAddr(r.address);
    const dir = r.address.startsWith('scst/target/') ? `targets/${p.drv}/${p.tgt}` : `targets/${p.drv}`;
    const line = file ? tree.value(`${dir}/${file}`)?.value.trim() : undefined;
    if (line) plain.set(r.address, line.split(/\s+/).slice(1).join(' '));
  }
  return build(resources, plain, opts);
}

/** imports an scst.conf text. */
export function importConf(text: string, opts: ImportOptions): ImportResult {
  try {
    const { resources, secrets } = confToResources(parseConf(text));
    return build(resources, secrets, opts);
  } catch (e) {
    throw e instanceof ConfSyntaxError && opts.file ? e.inFile(opts.file) : e;
  }
}

function build(resources: Resource[], plain: Map<string, string>, opts: ImportOptions): ImportResult {
  const secrets: ImportedSecret[] = [];
  const nameSecret = (address: string, spec: ChapSpec): string => {
    const value = plain.get(address) ?? '';
    const same = secrets.find((s) => s.value === value && s.name.startsWith(`chap-${spec.user}`));
    if (same) return same.name;
    let name = `chap-${spec.user.replace(/[^A-Za-z0-9_.-]/g, '-')}`;
    for (let i = 2; secrets.some((s) => s.name === name); i++) name = `chap-${spec.user}-${i}`;
    secrets.push({ name, file: resolve(opts.secretsDir, name), value });
    return name;
  };
  const model = resourcesToModel(resources, nameSecret);
  if (secrets.length) model.secrets = Object.fromEntries(secrets.map((s) => [s.name, { file: s.file }]));
  if (JSON.stringify(model).includes(`"node":"${PEER_NODE}"`)) model.nodes = { [opts.node]: {}, [PEER_NODE]: {} };
  return { model, yaml: toYaml(model), secrets };
}

const TOP = ['version', 'nodes', 'secrets', 'storage', 'scst', 'policy', 'alerts'];

/** comment-free YAML with sorted maps (top level in the documented order). */
export function toYaml(model: SanformModel): string {
  const m = model as unknown as Record<string, unknown>;
  const ordered = Object.fromEntries(TOP.filter((k) => m[k] !== undefined).map((k) => [k, sortDeep(m[k])]));
  return stringify(ordered, { lineWidth: 0 });
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort((a, b) => (/^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((k) => [k, sortDeep(o[k])]));
}

/** writes the secret files (mode 0600, directory 0700); the YAML is the caller's to place. */
export async function writeSecrets(secrets: ImportedSecret[]): Promise<void> {
  for (const s of secrets) {
    await mkdir(resolve(s.file, '..'), { recursive: true, mode: 0o700 });
    await writeFile(s.file, `${s.value}\n`, { mode: 0o600 });
    await chmod(s.file, 0o600);
  }
}
