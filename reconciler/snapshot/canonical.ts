import { createHash, type Hash } from 'node:crypto';
import type { Resource, Snapshot } from '../core/resource.js';
import { SanformError } from '../core/errors.js';
import { canonicalView } from './canonical-view.js';

/** A snapshot file that is not valid JSON or not a sanform snapshot. */
export class SnapshotFormatError extends SanformError<'SNAPSHOT_FORMAT', { source?: string }> {
  constructor(message: string, opts: { source?: string; cause?: unknown } = {}) {
    super('SNAPSHOT_FORMAT', message, { data: { source: opts.source }, cause: opts.cause });
  }
}

/** Version of the snapshot file format; a major bump breaks readers. */
export const SNAPSHOT_FORMAT_VERSION = 1;

/**
 * Deep copy of a JSON-like value with object keys sorted, `undefined` members dropped. The base of
 * every byte-stable rendering (snapshots, JSON plans).
 */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** JSON with sorted keys; `indent` 0 gives the compact form that is hashed. */
export function canonicalJson(value: unknown, indent = 0): string {
  return JSON.stringify(canonicalView(value), null, indent || undefined);
}

const byAddress = (a: Resource, b: Resource): number => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);

function resourceList(s: Snapshot): Resource[] {
  return [...s.resources.values()].sort(byAddress);
}

/** The plain object written to disk: resources as a sorted array. */
export function snapshotToObject(s: Snapshot): Record<string, unknown> {
  return {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    node: s.node,
    takenAt: s.takenAt,
    source: s.source,
    kinds: s.kinds ? [...s.kinds].sort() : undefined,
    inventory: s.inventory ? [...s.inventory].sort() : undefined,
    resources: resourceList(s),
  };
}

/** Byte-stable, indented JSON of a snapshot (ends with a newline). */
export function serializeSnapshot(s: Snapshot): string {
  return `${canonicalJson(snapshotToObject(s), 2)}\n`;
}

/**
 * sha256 over the canonical form without `takenAt` and `source` (the header, then each resource
 * in address order, newline-separated): two observations of the same live state hash the same
 * wherever and whenever they were taken.
 */
export function observedHash(s: Snapshot): string {
  return hashesOf(s).hash;
}

/**
 * sha256 (hex) of each kind's resources in canonical form (address order, one per line), taken in
 * the same pass as `observedHash` and only if it was taken already for this snapshot object (it
 * never serializes anything). The state store compares them with the previous record's, and
 * reuses the stored file of every kind that did not change instead of serializing it again.
 */
export function knownKindHashes(s: Snapshot): ReadonlyMap<string, string> | undefined {
  const known = hashes.get(s);
  return known !== undefined && known.size === s.resources.size ? known.kinds : undefined;
}

function hashesOf(s: Snapshot): Hashes {
  const known = hashes.get(s);
  if (known !== undefined && known.size === s.resources.size) return known;
  // streamed one resource at a time: the same bytes in the same order as the canonical file
  // would give, without building the whole document (memory stays flat on large servers)
  const h = createHash('sha256');
  const perKind = new Map<string, Hash>();
  const { takenAt: _t, source: _s, resources: _r, inventory: _i, ...head } = snapshotToObject(s);
  h.update(canonicalJson(head));
  for (const r of resourceList(s)) {
    const line = canonicalJson(r);
    h.update('\n').update(line);
    let k = perKind.get(r.kind);
    if (k === undefined) perKind.set(r.kind, (k = createHash('sha256')));
    k.update(line).update('\n');
  }
  const kinds = new Map([...perKind].map(([kind, k]) => [kind, k.digest('hex')]));
  const out: Hashes = { hash: `sha256:${h.digest('hex')}`, size: s.resources.size, kinds };
  hashes.set(s, out);
  return out;
}

interface Hashes {
  hash: string;
  size: number;
  kinds: ReadonlyMap<string, string>;
}

/**
 * Hashes already computed, per snapshot object. Snapshots are not modified after they are built
 * (observe and parse hand out fresh ones), so the hash is computed once, by whoever asks first:
 * observe() does, so the planner does not pay for it again.
 */
const hashes = new WeakMap<Snapshot, Hashes>();

/** Parses a snapshot file written by `serializeSnapshot`; `source` names it in errors. */
export function parseSnapshot(text: string, source = 'snapshot'): Snapshot {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SnapshotFormatError(`${source}: not JSON: ${(e as Error).message}`, { source, cause: e });
  }
  const o = raw as Record<string, unknown>;
  if (!o || typeof o !== 'object' || !Array.isArray(o.resources) || typeof o.node !== 'string') {
    throw new SnapshotFormatError(`${source}: not a sanform snapshot (needs node and resources)`, { source });
  }
  if (typeof o.formatVersion === 'number' && Math.floor(o.formatVersion) !== SNAPSHOT_FORMAT_VERSION) {
    throw new SnapshotFormatError(`${source}: snapshot format ${o.formatVersion} is not supported`, { source });
  }
  const resources = new Map<string, Resource>();
  for (const r of o.resources as Resource[]) {
    if (!r || typeof r.address !== 'string' || typeof r.kind !== 'string' || typeof r.driver !== 'string') {
      throw new SnapshotFormatError(`${source}: a resource lacks address, kind or driver`, { source });
    }
    if (resources.has(r.address)) throw new SnapshotFormatError(`${source}: duplicate address ${r.address}`, { source });
    resources.set(r.address, { ...r, spec: r.spec ?? {}, deps: Array.isArray(r.deps) ? r.deps : [] });
  }
  return {
    node: o.node,
    takenAt: typeof o.takenAt === 'string' ? o.takenAt : '',
    source: typeof o.source === 'string' ? o.source : `file:${source}`,
    resources,
    kinds: Array.isArray(o.kinds) ? (o.kinds as string[]) : undefined,
    ...(Array.isArray(o.inventory) ? { inventory: (o.inventory as unknown[]).filter((a): a is string => typeof a === 'string') } : {}),
  };
}
