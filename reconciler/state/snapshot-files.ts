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
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

const stored = (r: Resource): unknown =>
  scrubSecrets({ driver: r.driver, spec: r.spec, status: r.status, deps: [...r.deps].sort() });

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
    const lines = list.map((r) => `${JSON.stringify(r.address)}: ${canonicalJson(stored(r))}`);
    files[`${OBSERVED_DIR}/${kind}.json`] = `{\n${lines.join(',\n')}\n}\n`;
  }
  return files;
}

/** sha256 over the snapshot files in path order: equal for equal observed states. */
export function snapshotFilesHash(files: Record<string, string>): string {
  const h = createHash('sha256');
  for (const path of Object.keys(files).sort()) h.update(path).update('\0').update(files[path]!).update('\0');
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
