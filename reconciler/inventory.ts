/**
 * sanform's inventory on a machine: the addresses of the objects it created or adopted (declared
 * in the file while live, or written by `sanform import`), as Flux keeps the objects a source
 * applied. Prune deletes only what the inventory holds (unless `policy.prune: all`); any other
 * live object the file does not list is unmanaged: reported, never deleted.
 *
 * Kept in `<stateDir>/inventory.json` (written atomically, under the apply lock) and copied into
 * every record commit (`inventory.json`), from which a machine whose state directory was lost
 * (ESOS keeps it in RAM) takes it back, and CI plans offline against it.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from './core/change.js';
import type { Snapshot } from './core/resource.js';

export const inventoryPath = (stateDir: string): string => join(stateDir, 'inventory.json');

/** The inventory kept in `stateDir`; undefined when there is none (or it cannot be read). */
export function readInventory(stateDir: string): string[] | undefined {
  try {
    const o = JSON.parse(readFileSync(inventoryPath(stateDir), 'utf8')) as { addresses?: unknown };
    return Array.isArray(o.addresses) ? o.addresses.filter((a): a is string => typeof a === 'string') : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces the inventory (temp file, fsync, rename): a crash leaves the old one or the new one. */
export function writeInventory(stateDir: string, addresses: Iterable<string>): void {
  mkdirSync(stateDir, { recursive: true });
  const file = inventoryPath(stateDir);
  const tmp = `${file}.${process.pid}.tmp`;
  const body = `${JSON.stringify({ formatVersion: 1, addresses: [...new Set(addresses)].sort() }, null, 1)}\n`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, body);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** What applying a plan does to the inventory, known before it runs. */
export interface Ownership {
  /** declared in the file and live with nothing to change: adopted. */
  adopt: string[];
  /** in the inventory but no longer live (deleted by hand or by a cascade): dropped. */
  gone: string[];
}

/** The ownership an apply of `plan` takes (pure): see Ownership. */
export function ownershipOf(o: { desired: Snapshot; observed: Snapshot; plan: Plan }): Ownership {
  const touched = new Set<string>([...o.plan.changes.map((c) => c.address), ...o.plan.blocked.map((b) => b.address)]);
  const adopt: string[] = [];
  for (const a of o.desired.resources.keys()) if (o.observed.resources.has(a) && !touched.has(a)) adopt.push(a);
  const gone = (o.observed.inventory ?? []).filter((a) => !o.observed.resources.has(a));
  return { adopt, gone };
}

/**
 * Before the first kernel write of an apply: the inventory with what the plan will create or
 * converge (claimed before it exists, so a kill half-way never leaves an object sanform made
 * outside its inventory) and what it adopts, without what is gone.
 */
export function claimBefore(owned: readonly string[], plan: Plan, own: Ownership | undefined): Set<string> {
  const out = new Set(owned);
  for (const a of own?.gone ?? []) out.delete(a);
  for (const a of own?.adopt ?? []) out.add(a);
  for (const c of plan.changes) if (c.action !== 'delete' && c.action !== 'noop') out.add(c.address);
  return out;
}

/** After the walk: the objects it deleted leave the inventory. */
export function releaseAfter(owned: Set<string>, deleted: Iterable<string>): Set<string> {
  for (const a of deleted) owned.delete(a);
  return owned;
}

/** A plan with nothing to run still adopts what the file declares (and forgets what is gone); call it under the apply lock. */
export function adoptOnly(stateDir: string, own: Ownership): void {
  const before = readInventory(stateDir) ?? [];
  const next = claimBefore(before, { changes: [] } as unknown as Plan, own);
  if (next.size !== before.length || before.some((a) => !next.has(a))) writeInventory(stateDir, next);
}
