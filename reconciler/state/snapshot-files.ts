import { createHash } from 'node:crypto';
import type { Resource, Snapshot } from '../core/resource.js';

/**
 * How an observed snapshot is stored in a record commit: one file per kind,
 * `observed/<kind>.json`, one line per resource (`"address": {...}`), keys sorted, addresses
 * sorted. The same state always gives the same bytes (the time it was taken is not in these
 * files), so unchanged kinds are the same git blob, and drift between two records is a plain
 * `git diff A B -- observed/` whose changed lines name the address (`--word-diff` shows the field).
 *
 * Secrets are stored as fingerprints, never values: any string under a key that names a secret
 * is replaced by `sha256:<12 hex>` unless it already is a fingerprint.
 */
export const OBSERVED_DIR = 'observed';

const SECRET_KEY = /secret|passw|incominguser|outgoinguser|chap/i;
/** values that already are fingerprints (the driver's `sha256:...`, reconciler/secrets.ts' 16 hex) or tokens. */
const FINGERPRINT = /^(sha256:|fp:|\{\{secret:|[0-9a-f]{16}$)/;

/** A short, stable fingerprint of a secret value. */
export const fingerprint = (value: string): string => `sha256:${createHash('sha256').update(value).digest('hex').slice(0, 12)}`;

/** Replaces secret values by fingerprints, recursively; leaves everything else as is. */
export function scrubSecrets(value: unknown, secretContext = false): unknown {
  if (typeof value === 'string') return secretContext && !FINGERPRINT.test(value) ? scrubString(value) : value;
  if (Array.isArray(value)) return value.map((v) => scrubSecrets(v, secretContext));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // a user name beside a secret is not itself secret
      out[k] = k === 'user' || k === 'name' ? v : scrubSecrets(v, secretContext || SECRET_KEY.test(k));
    }
    return out;
  }
  return value;
}

/** SCST writes CHAP credentials as `user secret`: keep the user, fingerprint the secret. */
function scrubString(s: string): string {
  const cut = s.indexOf(' ');
  return cut > 0 ? `${s.slice(0, cut)} ${fingerprint(s.slice(cut + 1))}` : fingerprint(s);
}

/** JSON with object keys sorted at every level: the canonical text of a value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(inOrder(value) ? value : sortedCopy(value)) ?? 'null';
}

/** Set by `inOrder` when it passes a key that names a secret. */
let secretSeen = false;

/**
 * Whether every object under `value` already has its keys in sorted order and no undefined
 * members, so JSON.stringify gives the canonical text without a copy (drivers mostly build objects
 * that way: this keeps recording a 10,000-LUN snapshot cheap). Notes secret-like keys on the way.
 */
function inOrder(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    for (const v of value) if (v !== null && typeof v === 'object' && !inOrder(v)) return false;
    return true;
  }
  let prev: string | undefined;
  for (const k in value) {
    if (prev !== undefined && prev >= k) return false;
    prev = k;
    if (SECRET_KEY.test(k)) secretSeen = true;
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined || (v !== null && typeof v === 'object' && !inOrder(v))) return false;
  }
  return true;
}

/** A deep copy with object keys sorted and undefined members dropped. */
function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortedCopy(v)));
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj).sort()) if (obj[k] !== undefined) out[k] = sortedCopy(obj[k]);
  return out;
}

/** A value ready for JSON.stringify: keys sorted, secrets fingerprinted (copied only when needed). */
function prepared(value: unknown): unknown {
  secretSeen = false;
  if (!inOrder(value)) return sortedCopy(scrubSecrets(value));
  return secretSeen ? scrubSecrets(value) : value;
}

/** Canonical JSON of a value with secrets fingerprinted; only values that name a secret are scrubbed. */
export function scrubbedJson(value: unknown): string {
  return JSON.stringify(prepared(value)) ?? 'null';
}

/** Separates the values in `canonicalLines`' one call: a string no driver writes (checked anyway). */
const LINE_MARK = '\u0001sanform-line\u0001';
const MARK_JSON = JSON.stringify(LINE_MARK);
const LINE_SEP = `,${MARK_JSON},`;

/**
 * `values.map(scrubbedJson)`, with one JSON.stringify call for all of them: on 12,527 small
 * resources the fixed cost of each call is most of the time. The values go into one array,
 * separated by a marker string, and the text is split at the markers. Should a value hold the
 * marker itself, the count of markers in the text tells, and each value is serialized on its own.
 */
export function canonicalLines(values: readonly unknown[]): string[] {
  if (values.length === 0) return [];
  const all: unknown[] = new Array(values.length * 2 - 1);
  for (let i = 0; i < values.length; i++) {
    if (i > 0) all[2 * i - 1] = LINE_MARK;
    all[2 * i] = prepared(values[i]) ?? null;
  }
  const text = JSON.stringify(all);
  let marks = 0;
  for (let at = text.indexOf(MARK_JSON); at >= 0; at = text.indexOf(MARK_JSON, at + MARK_JSON.length)) marks++;
  if (marks === values.length - 1) return text.slice(1, -1).split(LINE_SEP);
  return values.map(scrubbedJson);
}

/** A JSON string literal; most addresses need no escaping, so most skip JSON.stringify. */
export const quoted = (s: string): string => (/["\\\u0000-\u001f\ud800-\udfff]/.test(s) ? JSON.stringify(s) : `"${s}"`);

/** Dependencies in sorted order (copied only when the driver did not already sort them). */
function sortedDeps(deps: readonly string[]): readonly string[] {
  for (let i = 1; i < deps.length; i++) if (deps[i - 1]! > deps[i]!) return [...deps].sort();
  return deps;
}

/** The stored form of a resource (its address and kind are the line's key and file): keys sorted, deps sorted. */
export function storedResource(r: Pick<Resource, 'deps' | 'driver' | 'spec' | 'status'>): Record<string, unknown> {
  return r.status === undefined
    ? { deps: sortedDeps(r.deps), driver: r.driver, spec: r.spec }
    : { deps: sortedDeps(r.deps), driver: r.driver, spec: r.spec, status: r.status };
}

/**
 * Version of the stored form above (line layout, key set, scrubbing). A record keeps it beside its
 * per-kind hashes, and a kind file is reused from the previous record only when both match: bump
 * it whenever `storedResource` or `snapshotFiles` would write different bytes for the same state.
 */
export const OBSERVED_FORM = 1;

/** The path of a kind's file inside the record tree. */
export const observedPath = (kind: string): string => `${OBSERVED_DIR}/${kind}.json`;

/** The files of a snapshot, keyed by path inside the record tree; kinds in `skip` are left out (their file is known). */
export function snapshotFiles(snapshot: Snapshot, skip?: ReadonlySet<string>): Record<string, string> {
  const byKind = new Map<string, string[]>();
  for (const r of snapshot.resources.values()) {
    if (skip?.has(r.kind)) continue;
    let list = byKind.get(r.kind);
    if (list === undefined) byKind.set(r.kind, (list = []));
    list.push(r.address);
  }
  const files: Record<string, string> = {};
  for (const [kind, addresses] of byKind) {
    // the default sort orders strings by UTF-16 code units, as `<` does, without a call per comparison
    addresses.sort();
    const list = addresses.map((a) => snapshot.resources.get(a)!);
    const stored = canonicalLines(list.map(storedResource));
    let text = '{\n';
    for (let i = 0; i < list.length; i++) text += `${i > 0 ? ',\n' : ''}${quoted(addresses[i]!)}: ${stored[i]}`;
    files[observedPath(kind)] = `${text}\n}\n`;
  }
  return files;
}

/**
 * The snapshot hash: sha256 over the files' paths and git blob ids (which hash their content), so
 * equal observed states hash equal and no byte is hashed twice.
 */
export function snapshotFilesHash(oids: Record<string, string>): string {
  const h = createHash('sha256');
  for (const path of Object.keys(oids).sort()) h.update(`${path} ${oids[path]}\n`);
  return h.digest('hex');
}

/** Rebuilds a Snapshot from stored files (secrets stay fingerprints). */
export function snapshotFromFiles(files: Record<string, string>, p: { node: string; takenAt: string; source: string; kinds?: string[] }): Snapshot {
  const resources = new Map<string, Resource>();
  for (const [path, text] of Object.entries(files)) {
    if (!path.startsWith(`${OBSERVED_DIR}/`) || !path.endsWith('.json')) continue;
    const kind = path.slice(OBSERVED_DIR.length + 1, -'.json'.length);
    const parsed = JSON.parse(text) as Record<string, { driver: string; spec: Record<string, unknown>; status?: Record<string, unknown>; deps: string[] }>;
    for (const [address, r] of Object.entries(parsed)) {
      resources.set(address, { address, kind, driver: r.driver, spec: r.spec, status: r.status, deps: r.deps ?? [] });
    }
  }
  return { node: p.node, takenAt: p.takenAt, source: p.source, resources, kinds: p.kinds };
}
