/**
 * classify(change, observed): make-bcache over a device that carries a signature destroys it
 * (named: `ext4 (UUID ...)`); registering an existing bcache superblock does not. Removing a
 * bcache device wipes its superblock. Detaching or dropping a writeback cache that still holds
 * dirty data loses that data; a cache mode change or a detach otherwise disrupts I/O; tunables
 * are benign.
 */
import type { Change, Impact } from '../../reconciler/core/change.js';
import type { Snapshot } from '../../reconciler/core/resource.js';
import { hprint } from './hprint.js';
import type { CacheSpec, DeviceSpec, DeviceStatus, LayerStatus } from './kinds.js';
import { addr, nameOf } from './kinds.js';

/** What blkid found on a device path, for people; undefined for a blank device. */
export function signatureOn(observed: Snapshot, path: string): string | undefined {
  return (observed.resources.get(addr.layer())?.status as Partial<LayerStatus> | undefined)?.signatures?.[path];
}

/** The device carries a bcache superblock already: create registers it instead of formatting. */
export const isBcacheSignature = (sig: string | undefined): boolean => sig !== undefined && /^bcache\b/.test(sig);

function formatImpact(what: string, dev: string, observed: Snapshot): Impact {
  const sig = signatureOn(observed, dev);
  if (isBcacheSignature(sig)) return { class: 'benign', detail: `registers the bcache superblock already on ${dev}` };
  if (sig) return { class: 'data-loss', detail: `make-bcache ${what} over ${dev}, which carries ${sig}: it is wiped` };
  return { class: 'benign', detail: `formats the blank ${dev} as a bcache ${what === '-C' ? 'cache' : 'backing'} device` };
}

function dirtyOf(change: Change): number {
  return ((change.before?.status ?? {}) as Partial<DeviceStatus>).dirtyBytes ?? 0;
}

export function classify(change: Change, observed: Snapshot): Impact[] {
  const name = nameOf(change.address);
  if (change.kind === 'bcache.cache') {
    const dev = ((change.after ?? change.before)?.spec as unknown as CacheSpec).device;
    if (change.action === 'create') return [formatImpact('-C', dev, observed)];
    return [{ class: 'data-loss', detail: `unregisters the cache set on ${dev} and wipes its superblock` }];
  }
  if (change.kind !== 'bcache.device') return [{ class: 'benign', detail: change.action }];
  const before = change.before?.spec as unknown as DeviceSpec | undefined;
  const after = change.after?.spec as unknown as DeviceSpec | undefined;
  const dirty = dirtyOf(change);
  const dropsDirty: Impact[] = dirty > 0 ? [{ class: 'data-loss', detail: `the writeback cache still holds ${hprint(dirty)} of dirty data for /dev/${name}` }] : [];
  switch (change.action) {
    case 'create':
      return [formatImpact('-B', (after as DeviceSpec).backing, observed)];
    case 'delete':
      return [{ class: 'data-loss', detail: `stops /dev/${name} and wipes the bcache superblock on ${before?.backing}` }, ...dropsDirty];
    case 'replace':
      return [{ class: 'data-loss', detail: `re-creates /dev/${name} over ${after?.backing} (was ${before?.backing})` }, ...dropsDirty];
    default:
      break;
  }
  const out: Impact[] = [];
  for (const f of change.fields) {
    if (f.field === 'mode') out.push({ class: 'io-disruptive', detail: `cache mode ${String(f.before)} -> ${String(f.after)}${f.before === 'writeback' ? ' (flushes the dirty data first)' : ''}` });
    else if (f.field === 'cache') {
      if (before?.cache && before.mode === 'writeback' && dirty > 0) out.push(...dropsDirty.map((i) => ({ ...i, detail: `detaches ${before.cache}: ${i.detail}` })));
      else out.push({ class: 'io-disruptive', detail: f.before ? `moves /dev/${name} from cache ${String(f.before)} to ${String(f.after)}` : `attaches cache ${String(f.after)}` });
    } else out.push({ class: 'benign', detail: `${f.field.replace(/^attributes\./, '')} ${String(f.before)} -> ${String(f.after)}` });
  }
  return out;
}
