/**
 * classify: creating over a device with a signature names it (data-loss); stopping and zeroing
 * an array is data-loss; re-shaping (members, chunk) is io-disruptive; spares are benign.
 */
import type { Change, Impact } from '../../reconciler/core/change.js';
import type { Snapshot } from '../../reconciler/core/resource.js';
import { addr, type ArraySpec } from './kinds.js';

const spec = (c: Change, side: 'before' | 'after') => c[side]?.spec as unknown as ArraySpec | undefined;
const name = (c: Change) => c.address.slice(c.address.lastIndexOf('/') + 1);

export function classify(c: Change, observed: Snapshot): Impact[] {
  if (c.kind === 'md.conf') return [{ class: 'benign', detail: 'rewrites the ARRAY lines of mdadm.conf' }];
  if (c.kind !== 'md.array') return [];
  const sigs = (observed.resources.get(addr.layer())?.status as { signatures?: Record<string, string> } | undefined)?.signatures ?? {};
  const out: Impact[] = [];
  if (c.action === 'create' || c.action === 'replace') {
    const a = spec(c, 'after')!;
    const mine = new Set(c.action === 'replace' ? [...spec(c, 'before')!.devices, ...spec(c, 'before')!.spares] : []);
    const used = [...a.devices, ...a.spares].filter((d) => sigs[d] && !mine.has(d));
    if (used.length) out.push({ class: 'data-loss', detail: `mdadm --create overwrites ${used.map((d) => `${d} (holds ${sigs[d]})`).join(', ')}` });
  }
  if (c.action === 'delete' || c.action === 'replace') {
    out.push({ class: 'data-loss', detail: `stops ${name(c)} and zeroes the md superblocks of its members` });
  }
  if (c.action === 'update') {
    for (const f of c.fields) {
      if (f.field === 'devices' || f.field === 'chunk') out.push({ class: 'io-disruptive', detail: `reshapes ${name(c)} (${f.field}); I/O slows until it finishes` });
      if (f.field === 'spares') out.push({ class: 'benign', detail: `changes the spares of ${name(c)}` });
    }
    const added = (f: string) => (spec(c, 'after') as unknown as Record<string, string[]>)[f]?.filter((d) => !(spec(c, 'before') as unknown as Record<string, string[]>)[f]?.includes(d)) ?? [];
    const over = [...added('devices'), ...added('spares')].filter((d) => sigs[d]);
    if (over.length) out.push({ class: 'data-loss', detail: `mdadm --add overwrites ${over.map((d) => `${d} (holds ${sigs[d]})`).join(', ')}` });
  }
  if (out.length === 0) out.push({ class: 'benign', detail: `${c.action} ${name(c)}` });
  return out;
}
