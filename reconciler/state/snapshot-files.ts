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

/** Canonical JSON of a value with secrets fingerprinted; only values that name a secret are scrubbed. */
export function scrubbedJson(value: unknown): string {
  secretSeen = false;
  if (!inOrder(value)) return JSON.stringify(sortedCopy(scrubSecrets(value))) ?? 'null';
  return JSON.stringify(secretSeen ? scrubSecrets(value) : value) ?? 'null';
}

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

/** One resource as stored: canonical JSON, secrets fingerprinted. */
const storedLine = (r: Resource): string => scrubbedJson(storedResource(r));

/** The files of a snapshot, keyed by path inside the record tree. */
export function snapshotFiles(snapshot: Snapshot): Record<string, string> {
  const byKind = new Map<string, Resource[]>();
  for (const r of snapshot.resources.values()) {
    if (!byKind.has(r.kind)) byKind.set(r.kind, []);
    byKind.get(r.kind)!.push(r);
  }
  const files: Record<string, string> = {};
  for (const [kind, list] of byKind) {
    list.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    const lines = list.map((r) => `${JSON.stringify(r.address)}: ${storedLine(r)}`);
    files[`${OBSERVED_DIR}/${kind}.json`] = `{\n${lines.join(',\n')}\n}\n`;
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
