/** ops: the exact lvm2 command lines (argv, never a shell). Prompts are answered by -y/-f only where the plan says what they destroy. */
import type { Change, Op } from '../../reconciler/core/change.js';
import type { Snapshot } from '../../reconciler/core/resource.js';
import { layerOf, overwritten } from './classify.js';
import { lvFull, sizeArg, type LvCache, type LvSpec, type LvStatus, type VgSpec } from './kinds.js';

const x = (...argv: string[]): Op => ({ type: 'exec', argv });

/** pvcreate for the PVs that are not PVs yet; `-y` (wipe) only for a signature the plan named. */
function pvcreate(c: Change, observed: Snapshot, pvs: string[]): Op[] {
  const orphans = new Set(layerOf(observed).orphans ?? []);
  const wipe = new Set(overwritten(c, observed).map(([p]) => p));
  return pvs.filter((p) => !orphans.has(p)).map((p) => (wipe.has(p) ? x('pvcreate', '-y', p) : x('pvcreate', p)));
}

function vgOps(c: Change, observed: Snapshot): Op[] {
  const vg = c.address.split('/')[2]!;
  const before = (c.before?.spec as unknown as VgSpec | undefined)?.pvs ?? [];
  const after = (c.after?.spec as unknown as VgSpec | undefined)?.pvs ?? [];
  const remove = (): Op[] => [x('vgremove', vg), x('pvremove', ...before)];
  if (c.action === 'delete') return remove();
  if (c.action === 'create' || c.action === 'replace') return [...(c.action === 'replace' ? remove() : []), ...pvcreate(c, observed, after), x('vgcreate', vg, ...after)];
  const added = after.filter((p) => !before.includes(p));
  const gone = before.filter((p) => !after.includes(p));
  return [
    ...(added.length ? [...pvcreate(c, observed, added), x('vgextend', vg, ...added)] : []),
    ...(gone.length ? [x('vgreduce', vg, ...gone), x('pvremove', ...gone)] : []),
  ];
}

const sizeOpt = (s: LvSpec): string[] => (s.extents ? ['-l', s.extents] : ['-L', sizeArg(s.size!)]);

function attach(s: LvSpec, cache: LvCache): Op {
  return x('lvconvert', '-y', '--type', 'cache', '--cachepool', `${s.vg}/${cache.pool}`, ...(cache.mode ? ['--cachemode', cache.mode] : []), ...(cache.policy ? ['--cachepolicy', cache.policy] : []), `${s.vg}/${s.name}`);
}

function create(s: LvSpec): Op[] {
  const type = s.type === 'cache-pool' ? ['--type', 'cache-pool'] : [];
  return [x('lvcreate', '-y', ...type, ...sizeOpt(s), '-n', s.name, s.vg, ...(s.pvs ?? [])), ...(s.cache ? [attach(s, s.cache)] : [])];
}

function remove(c: Change): Op[] {
  const b = c.before!.spec as unknown as LvSpec;
  const user = (c.before!.status as unknown as Partial<LvStatus>).attachedTo;
  // an attached pool: detach it from its LV (flushing), then it can go
  if (b.type === 'cache-pool' && user) return [x('lvconvert', '--uncache', `${b.vg}/${user}`)];
  return [x('lvremove', '-f', lvFull(c.address))];
}

function update(c: Change): Op[] {
  const a = c.after!.spec as unknown as LvSpec;
  const full = lvFull(c.address);
  const ops: Op[] = [];
  for (const f of c.fields) {
    if (f.field === 'size') {
      const [b, n] = [f.before as number, f.after as number];
      ops.push(n > b ? x('lvextend', '-L', sizeArg(n), full, ...(a.pvs ?? [])) : x('lvreduce', '-f', '-L', sizeArg(n), full));
    }
    if (f.field === 'cache') {
      const [b, w] = [f.before as LvCache | undefined, f.after as LvCache];
      if (!b || b.pool !== w.pool) ops.push(...(b ? [x('lvconvert', '--splitcache', full)] : []), attach(a, a.cache!));
      else {
        if (a.cache?.mode !== undefined && a.cache.mode !== b.mode) ops.push(x('lvchange', '--cachemode', a.cache.mode, full));
        if (a.cache?.policy !== undefined && a.cache.policy !== b.policy) ops.push(x('lvchange', '--cachepolicy', a.cache.policy, full));
      }
    }
  }
  return ops;
}

export function ops(c: Change, observed: Snapshot): Op[] {
  if (c.kind === 'lvm.vg') return vgOps(c, observed);
  if (c.kind !== 'lvm.lv') return [];
  if (c.action === 'create') return create(c.after!.spec as unknown as LvSpec);
  if (c.action === 'delete') return remove(c);
  if (c.action === 'replace') return [...remove(c), ...create(c.after!.spec as unknown as LvSpec)];
  return update(c);
}
