/**
 * `sanform import`: YAML for what is live now (one readTree) or for an existing scst.conf. CHAP
 * secrets are moved out of the YAML: each becomes a `secrets:` entry pointing at a file (mode
 * 0600) in the secrets directory. Output is comment-free with sorted maps, and the plan right
 * after an import is empty.
 */
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import type { Resource } from '../../reconciler/core/resource.js';
import { SanformError } from '../../reconciler/core/errors.js';
import type { Host } from '../../reconciler/host/host.js';
import { SCST_ROOT } from '../../reconciler/host/host.js';
import { loadDesiredTexts, type Diagnostic } from '../../reconciler/load/index.js';
import type { SanformModel } from '../../schema/model.js';
import { parseAddr } from './address.js';
import { ConfSyntaxError, parseConf } from './conf/parse.js';
import { confToResources } from './conf/to-resources.js';
import { locateInConf } from './conf/locate.js';
import { writeAllOrNothing, type OutputFile } from './import-files.js';
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
  /** the node the import was made as (what `sanform plan --node` should name to compare). */
  node: string;
  /** an scst.conf import: re-points a finding about the YAML at the scst.conf line it came from. */
  locate?: (d: Diagnostic) => Diagnostic;
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
    const entries = parseConf(text);
    const { resources, secrets } = confToResources(entries);
    const file = opts.file ?? 'scst.conf';
    return { ...build(resources, secrets, opts), locate: (d) => locateInConf(d, entries, file) };
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
  return { model, yaml: toYaml(model), secrets, node: opts.node };
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

/** The imported YAML does not load: `data.diagnostics` holds every finding (the caller prints them). */
export class ImportInvalidError extends SanformError<'IMPORT_INVALID', { diagnostics: Diagnostic[] }> {
  /** `where`: the file the YAML would have gone to, as the user named it; `conf`: the scst.conf the findings point into. */
  constructor(diagnostics: Diagnostic[], where: string, conf?: string) {
    const n = diagnostics.filter((d) => d.severity === 'error').length;
    const at = conf ? `their positions are in ${conf}` : `their positions are in the YAML it would have written to ${where}`;
    super('IMPORT_INVALID', `the imported configuration is not valid: ${n} error${n === 1 ? '' : 's'} above (${at}); nothing was written`, {
      data: { diagnostics },
      hint: 'fix the source (the scst.conf, or the live SCST configuration) and import again',
    });
  }
}

/**
 * Every finding of the loader `sanform validate` uses on the imported YAML, as if it were the
 * file `file`: an import whose result would not load is refused before anything is written.
 */
export function checkImported(yaml: string, file: string): Diagnostic[] {
  return loadDesiredTexts([{ file, text: yaml }]).diagnostics;
}

/** The secret files to write: mode 0600, in a directory made 0700. */
export function secretFiles(secrets: readonly ImportedSecret[]): OutputFile[] {
  return secrets.map((s) => ({ path: s.file, content: `${s.value}\n`, mode: 0o600, dirMode: 0o700 }));
}

/** The files of an import: the YAML (when it goes to a file) first, then the secrets. */
export function importFiles(result: ImportResult, out: string | undefined): OutputFile[] {
  const yaml: OutputFile[] = out ? [{ path: out, content: result.yaml, mode: 0o644 }] : [];
  return [...yaml, ...secretFiles(result.secrets)];
}

/** writes the secret files, replacing existing ones (tests); the command uses `importFiles`. */
export async function writeSecrets(secrets: ImportedSecret[]): Promise<void> {
  await writeAllOrNothing(secretFiles(secrets), { force: true });
}
