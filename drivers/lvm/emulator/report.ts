/**
 * `lvm fullreport --reportformat json`: one object per VG (vg, pv, lv, pvseg, seg lists), then one
 * for the orphan PVs, with lvm2 2.03's field names; every value a string. `--units b --nosuffix`
 * prints bytes, otherwise sizes read like `196.00m`. Hidden sub-LVs (`[pool_cdata]`) only with -a.
 */
import type { StackEnv } from '../../sim/stack/layer.js';
import { getopt, usage } from './args.js';
import { PE_START, dmName, freeRuns, lvBytes, lvExtents, peCount, reportSize, usedRuns, type LvmLv, type LvmState, type LvmVg } from './state.js';

type Row = Record<string, string>;

const ROLE: Record<LvmLv['kind'], string> = {
  linear: 'public', 'cache-pool': 'private', cdata: 'private,cache,pool,data', cmeta: 'private,cache,pool,metadata',
  pmspare: 'private,pool,spare', cache: 'public', corig: 'private,cache,origin,cacheorigin', snapshot: 'public,snapshot,thicksnapshot',
};
const LAYOUT: Record<LvmLv['kind'], string> = {
  linear: 'linear', 'cache-pool': 'cache,pool', cdata: 'linear', cmeta: 'linear', pmspare: 'linear', cache: 'cache', corig: 'linear', snapshot: 'linear',
};
const ATTR_TYPE: Record<LvmLv['kind'], string> = { linear: '-', 'cache-pool': 'C', cdata: 'C', cmeta: 'e', pmspare: 'e', cache: 'C', corig: 'o', snapshot: 's' };

export function fullreport(env: StackEnv, st: LvmState, args: string[]): string {
  const p = getopt('fullreport', args,
    { '--reportformat': '--reportformat', '--units': '--units', '--config': '--config', '-o': '--options', '--options': '--options', '--configreport': '--configreport', '-O': '--sort', '--sort': '--sort' },
    { '-a': '--all', '--all': '--all', '--nosuffix': '--nosuffix', '--noheadings': '--noheadings', '--binary': '--binary', '-q': '--quiet' });
  if (p.opts.get('--reportformat') !== 'json') usage('fullreport', 'Only --reportformat json is emulated.');
  const units = p.opts.get('--units');
  if (units !== undefined && units !== 'b') usage('fullreport', 'Only --units b is emulated.');
  const bytes = units === 'b' && p.flags.has('--nosuffix');
  const size = (n: number): string => (bytes ? String(n) : units === 'b' ? `${n}B` : reportSize(n));
  const all = p.flags.has('--all');
  const present = (pv: string) => Boolean(env.disks.get(pv));

  const pvRow = (path: string, vg?: LvmVg): Row => {
    const pv = st.pvs[path]!;
    const dev = env.disks.get(path)?.sizeBytes ?? 0;
    const missing = !present(path);
    const pe = vg ? peCount(pv.devSize, vg.extentSize) : 0;
    const used = vg ? (usedRuns(vg).get(path) ?? []).reduce((n, [, c]) => n + c, 0) : 0;
    const pvSize = vg ? pe * vg.extentSize : pv.devSize;
    return {
      pv_fmt: 'lvm2', pv_uuid: pv.uuid, dev_size: size(dev), pv_name: missing ? '[unknown]' : path, pe_start: size(PE_START),
      pv_size: size(pvSize), pv_free: size(vg ? (pe - used) * vg.extentSize : pv.devSize), pv_used: size(used * (vg?.extentSize ?? 0)),
      pv_attr: vg ? `a-${missing ? 'm' : '-'}` : '---', pv_allocatable: vg ? 'allocatable' : '', pv_missing: missing ? 'missing' : '',
      pv_pe_count: String(pe), pv_pe_alloc_count: String(used), pv_in_use: vg ? 'used' : '',
    };
  };

  const pvsegRows = (vg: LvmVg | undefined, path: string): Row[] => {
    const pv = st.pvs[path]!;
    if (!vg) return [{ pvseg_start: '0', pvseg_size: '0', pv_uuid: pv.uuid, lv_uuid: '' }];
    const byStart = new Map<number, [number, string]>();
    for (const lv of Object.values(vg.lvs)) for (const s of lv.segs) if (s.pv === path) byStart.set(s.start, [s.count, lv.uuid]);
    const total = peCount(pv.devSize, vg.extentSize);
    for (const [s, c] of freeRuns((usedRuns(vg).get(path) ?? []), total)) byStart.set(s, [c, '']);
    return [...byStart.entries()].sort((a, b) => a[0] - b[0]).map(([s, [c, u]]) => ({ pvseg_start: String(s), pvseg_size: String(c), pv_uuid: pv.uuid, lv_uuid: u }));
  };

  const shown = (vg: LvmVg, lv: LvmLv) => (lv.hidden ? `[${lv.name}]` : lv.name);
  const partial = (vg: LvmVg, lv: LvmLv): boolean => lv.segs.some((s) => !present(s.pv)) || [lv.data, lv.meta, lv.origin, lv.pool].some((n) => n && lv.kind !== 'snapshot' && vg.lvs[n] && partial(vg, vg.lvs[n]!));

  const lvRow = (vg: LvmVg, lv: LvmLv): Row => {
    const isOrigin = origins.has(`${vg.name}/${lv.name}`);
    const bad = partial(vg, lv);
    // open: a block holder (bcache, btier, another dm device); an SCST device is not counted here
    const open = lv.active && holders.has(`dm-${lv.minor}`);
    const type = isOrigin && lv.kind === 'linear' ? 'o' : ATTR_TYPE[lv.kind];
    const target = lv.kind === 'cache' || lv.kind === 'cache-pool' || lv.kind === 'corig' ? 'C' : lv.kind === 'snapshot' || isOrigin ? 's' : '-';
    const attr = `${type}wi-${lv.active ? 'a' : '-'}${open ? 'o' : '-'}${target}-${bad ? 'p' : '-'}-`;
    const role = isOrigin ? `${ROLE[lv.kind]},origin,thickorigin` : ROLE[lv.kind];
    const sub = (n?: string) => (n && vg.lvs[n] ? `[${n}]` : '');
    const sz = lv.kind === 'cache-pool' ? lvBytes(vg, lv) : lvExtents(vg, lv) * vg.extentSize;
    return {
      lv_uuid: lv.uuid, lv_name: shown(vg, lv), lv_full_name: `${vg.name}/${lv.name}`, lv_path: lv.hidden ? '' : `/dev/${vg.name}/${lv.name}`,
      lv_dm_path: `/dev/mapper/${dmName(vg.name, lv.name)}`, lv_parent: lv.parent ?? '', lv_layout: LAYOUT[lv.kind], lv_role: role,
      lv_active: lv.active ? 'active' : '', lv_kernel_major: lv.active ? '253' : '-1', lv_kernel_minor: lv.active ? String(lv.minor) : '-1',
      lv_size: size(sz), lv_metadata_size: lv.kind === 'cache-pool' ? size(lvBytes(vg, vg.lvs[lv.meta!]!)) : '',
      origin: lv.kind === 'snapshot' ? lv.origin! : lv.kind === 'cache' ? sub(lv.origin) : '',
      origin_size: lv.kind === 'snapshot' ? size(lvBytes(vg, vg.lvs[lv.origin!]!)) : '',
      data_lv: lv.kind === 'cache-pool' ? sub(lv.data) : '', metadata_lv: lv.kind === 'cache-pool' ? sub(lv.meta) : '',
      pool_lv: lv.kind === 'cache' ? sub(lv.pool) : '', lv_health_status: bad ? 'partial' : '',
      snap_percent: lv.kind === 'snapshot' ? '0.00' : '', cache_dirty_blocks: lv.kind === 'cache' ? '0' : '', lv_attr: attr,
    };
  };

  const segRows = (vg: LvmVg, lv: LvmLv): Row[] => {
    const base = (segtype: string, startPe: number, count: number, devices: string, extra: Row = {}): Row => ({
      segtype, stripes: '1', chunk_size: size(lv.chunk ?? (lv.kind === 'cache' ? vg.lvs[lv.pool!]?.chunk ?? 0 : 0)), cache_mode: '', cache_policy: '',
      seg_start: size(startPe * vg.extentSize), seg_start_pe: String(startPe), seg_size: size(count * vg.extentSize), seg_size_pe: String(count),
      devices, ...extra, lv_uuid: lv.uuid,
    });
    const ext = lvExtents(vg, lv);
    if (lv.kind === 'cache-pool') return [base('cache-pool', 0, ext, `${lv.data}(0)`)];
    if (lv.kind === 'cache') return [base('cache', 0, ext, `${lv.origin}(0)`, { cache_mode: lv.mode ?? 'writethrough', cache_policy: lv.policy ?? 'smq' })];
    let at = 0;
    return lv.segs.map((s) => {
      const r = base(lv.kind === 'snapshot' ? 'snapshot' : 'linear', at, s.count, `${present(s.pv) ? s.pv : '[unknown]'}(${s.start})`);
      at += s.count;
      return r;
    });
  };

  // computed once: which devices have holders, which LVs are snapshot origins
  const holders = new Set(env.disks.list().flatMap((d) => d.slaves.map((x) => x.slice(x.lastIndexOf('/') + 1))));
  const origins = new Set(Object.values(st.vgs).flatMap((vg) => Object.values(vg.lvs).filter((l) => l.kind === 'snapshot').map((l) => `${vg.name}/${l.origin}`)));
  const report: Record<string, Row[]>[] = [];
  for (const vg of Object.values(st.vgs).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const total = vg.pvs.reduce((n, pv) => n + peCount(st.pvs[pv]?.devSize ?? 0, vg.extentSize), 0);
    const used = Object.values(vg.lvs).reduce((n, lv) => n + lv.segs.reduce((m, s) => m + s.count, 0), 0);
    const missing = vg.pvs.filter((pv) => !present(pv)).length;
    const lvs = Object.values(vg.lvs).filter((l) => all || !l.hidden).sort((a, b) => (a.name < b.name ? -1 : 1));
    const vgRow: Row = {
      vg_fmt: 'lvm2', vg_uuid: vg.uuid, vg_name: vg.name, vg_attr: `wz-${missing ? 'p' : '-'}n-`, vg_partial: missing ? 'partial' : '',
      vg_size: size(total * vg.extentSize), vg_free: size((total - used) * vg.extentSize), vg_extent_size: size(vg.extentSize),
      vg_extent_count: String(total), vg_free_count: String(total - used), pv_count: String(vg.pvs.length), vg_missing_pv_count: String(missing),
      lv_count: String(Object.values(vg.lvs).filter((l) => !l.hidden && l.kind !== 'snapshot').length),
      snap_count: String(Object.values(vg.lvs).filter((l) => l.kind === 'snapshot').length), vg_seqno: String(vg.seqno),
    };
    report.push({
      vg: [vgRow], pv: vg.pvs.map((pv) => pvRow(pv, vg)), lv: lvs.map((l) => lvRow(vg, l)),
      pvseg: vg.pvs.flatMap((pv) => pvsegRows(vg, pv)), seg: lvs.flatMap((l) => segRows(vg, l)),
    });
  }
  const orphans = Object.values(st.pvs).filter((pv) => !pv.vg && present(pv.path)).sort((a, b) => (a.path < b.path ? -1 : 1));
  if (orphans.length) report.push({ pv: orphans.map((pv) => pvRow(pv.path)), pvseg: orphans.flatMap((pv) => pvsegRows(undefined, pv.path)) });
  return render(report);
}

/** lvm2's JSON layout: one row per line. */
function render(report: Record<string, Row[]>[]): string {
  const row = (r: Row) => `{${Object.entries(r).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(', ')}}`;
  const parts = report.map((o) => {
    const lists = Object.entries(o).map(([k, rows]) => `              ${JSON.stringify(k)}: [\n${rows.map((r) => `                  ${row(r)}`).join(',\n')}\n              ]\n`);
    return `          {\n${lists.join('              ,\n')}          }\n`;
  });
  return `  {\n      "report": [\n${parts.join('          ,\n')}      ]\n  }\n`;
}
