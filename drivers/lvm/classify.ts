/**
 * classify: pvcreate over a device with another signature names it (data-loss); lvremove,
 * lvreduce and vgremove are data-loss; a cache mode change or moving a cache to another pool is
 * io-disruptive; lvextend, vgextend, attaching a cache and a policy change are benign.
 */
import type { Change, Impact } from '../../reconciler/core/change.js';
import type { Snapshot } from '../../reconciler/core/resource.js';
import { addr, lvFull, sizeArg, type LayerStatus, type LvCache, type LvSpec, type VgSpec } from './kinds.js';

export function layerOf(observed: Snapshot): Partial<LayerStatus> {
  return (observed.resources.get(addr.layer())?.status as Partial<LayerStatus> | undefined) ?? {};
}

/** PVs a change turns into PVs that carry another signature now (device -> what is there). */
export function overwritten(c: Change, observed: Snapshot): [string, string][] {
  if (c.kind !== 'lvm.vg' || !c.after) return [];
  const sigs = layerOf(observed).signatures ?? {};
  const had = new Set((c.before?.spec as unknown as VgSpec | undefined)?.pvs ?? []);
  return (c.after.spec as unknown as VgSpec).pvs.filter((p) => !had.has(p) && sigs[p] && !sigs[p]!.startsWith('LVM2_member')).map((p) => [p, sigs[p]!]);
}

export function classify(c: Change, observed: Snapshot): Impact[] {
  const out: Impact[] = [];
  const vgName = c.address.split('/')[2]!;
  if (c.kind === 'lvm.vg') {
    const over = overwritten(c, observed);
    if (over.length) out.push({ class: 'data-loss', detail: `pvcreate overwrites ${over.map(([p, s]) => `${p} (holds ${s})`).join(', ')}` });
    if (c.action === 'delete' || c.action === 'replace') {
      out.push({ class: 'data-loss', detail: `vgremove ${vgName} and pvremove ${(c.before!.spec as unknown as VgSpec).pvs.join(' ')}: the volume group's metadata is gone` });
    }
    if (out.length === 0) out.push({ class: 'benign', detail: c.action === 'create' ? `creates volume group ${vgName}` : `changes the PVs of ${vgName}` });
    return out;
  }
  if (c.kind !== 'lvm.lv') return [];
  const full = lvFull(c.address);
  if (c.action === 'delete' || c.action === 'replace') {
    const pool = (c.before!.spec as unknown as LvSpec).type === 'cache-pool';
    out.push({ class: 'data-loss', detail: pool ? `removes cache pool ${full} (a cache it serves is flushed and detached first)` : `lvremove destroys the data on ${full}` });
  }
  if (c.action === 'update') {
    for (const f of c.fields) {
      if (f.field === 'size') {
        const [b, a] = [f.before as number, f.after as number];
        if (a < b) out.push({ class: 'data-loss', detail: `lvreduce cuts ${full} from ${sizeArg(b)} to ${sizeArg(a)}: data past the new end is lost` });
        else out.push({ class: 'benign', detail: `lvextend grows ${full} from ${sizeArg(b)} to ${sizeArg(a)} online` });
      }
      if (f.field === 'cache') {
        const [b, a] = [f.before as LvCache | undefined, f.after as LvCache];
        if (!b) out.push({ class: 'benign', detail: `attaches cache pool ${a.pool} to ${full}` });
        else if (b.pool !== a.pool) out.push({ class: 'io-disruptive', detail: `moves the cache of ${full} from ${b.pool} to ${a.pool}: the old cache is flushed and detached first` });
        else {
          if (a.mode !== undefined && a.mode !== b.mode) out.push({ class: 'io-disruptive', detail: `cache mode of ${full}: ${b.mode} -> ${a.mode}${b.mode === 'writeback' ? ' (dirty blocks are flushed first)' : ''}` });
          if (a.policy !== undefined && a.policy !== b.policy) out.push({ class: 'benign', detail: `cache policy of ${full}: ${b.policy} -> ${a.policy}` });
        }
      }
    }
  }
  if (out.length === 0) out.push({ class: 'benign', detail: `${c.action} ${full}` });
  return out;
}
