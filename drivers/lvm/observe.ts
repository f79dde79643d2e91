/**
 * observe: one `lvm fullreport --reportformat json --units b --nosuffix -a` for every VG, PV and
 * LV, plus one `blkid` for the signatures the pvcreate guard names: two calls whatever the number
 * of objects. No lvm2 on the machine: the LVM layer is unavailable.
 */
import { isErrno } from '../../reconciler/core/errors.js';
import type { Resource } from '../../reconciler/core/resource.js';
import type { Host } from '../../reconciler/host/host.js';
import { missingLayer } from '../../reconciler/stack/layer.js';
import { addr, type LayerStatus, type LvSpec, type LvStatus, type VgSpec, type VgStatus } from './kinds.js';
import { typeLabels } from '../../reconciler/stack/blkid.js';

type Row = Record<string, string>;

export const FULLREPORT = ['lvm', 'fullreport', '--reportformat', 'json', '--units', 'b', '--nosuffix', '-a'];

async function run(host: Host, argv: string[]): Promise<{ exitCode: number; stdout: string; stderr: string } | undefined> {
  try {
    const r = await host.exec(argv, { env: { LC_ALL: 'C', LVM_SUPPRESS_FD_WARNINGS: '1' } });
    return r.exitCode === 127 ? undefined : r;
  } catch (e) {
    if (isErrno(e, 'ENOENT') || isErrno(e, 'EACCES')) return undefined;
    throw e;
  }
}

const num = (s: string | undefined): number => Number((s ?? '0').trim()) || 0;
const bare = (n: string): string => n.replace(/^\[|\]$/g, '');

/** The fullreport JSON -> resources (VGs, their visible LVs and cache pools) and the orphan PVs. */
export function parseReport(text: string): { resources: Resource[]; orphans: string[] } {
  const rep = (JSON.parse(text) as { report?: Record<string, Row[]>[] }).report ?? [];
  const resources: Resource[] = [];
  const orphans: string[] = [];
  for (const o of rep) {
    const vgRow = o.vg?.[0];
    if (!vgRow) {
      for (const pv of o.pv ?? []) if (pv.pv_name) orphans.push(pv.pv_name);
      continue;
    }
    const vg = vgRow.vg_name!;
    const extent = num(vgRow.vg_extent_size);
    const missing = (o.pv ?? []).filter((p) => p.pv_missing === 'missing');
    const vgStatus: VgStatus = { uuid: vgRow.vg_uuid ?? '', sizeBytes: num(vgRow.vg_size), freeBytes: num(vgRow.vg_free), extentSize: extent };
    if (missing.length) vgStatus.fault = `${missing.length} PV${missing.length > 1 ? 's' : ''} missing (uuid ${missing.map((p) => p.pv_uuid).join(', ')})`;
    const pvs = (o.pv ?? []).filter((p) => p.pv_missing !== 'missing').map((p) => p.pv_name!).sort();
    resources.push({ address: addr.vg(vg), kind: 'lvm.vg', driver: 'lvm', spec: { pvs } satisfies VgSpec as unknown as Record<string, unknown>, status: vgStatus as unknown as Record<string, unknown>, deps: [] });
    const segs = new Map<string, Row>();
    for (const s of o.seg ?? []) if (!segs.has(s.lv_uuid!)) segs.set(s.lv_uuid!, s);
    const attached = new Map<string, string>();
    for (const l of o.lv ?? []) if (l.pool_lv) attached.set(bare(l.pool_lv), l.lv_name!);
    for (const l of o.lv ?? []) {
      const seg = segs.get(l.lv_uuid!);
      const segtype = seg?.segtype ?? 'linear';
      const hidden = l.lv_name!.startsWith('[');
      let name = bare(l.lv_name!);
      if (hidden && segtype !== 'cache-pool') continue; // cdata, cmeta, corig, pmspare
      if (segtype === 'cache-pool' && hidden) name = name.replace(/_cpool$/, '');
      const spec: LvSpec = { vg, name, type: segtype === 'cache-pool' ? 'cache-pool' : segtype === 'snapshot' ? 'snapshot' : 'linear', size: num(l.lv_size) };
      if (segtype === 'cache') spec.cache = { pool: bare(l.pool_lv ?? '').replace(/_cpool$/, ''), mode: seg?.cache_mode ?? '', policy: seg?.cache_policy ?? '' };
      if (segtype === 'snapshot') spec.origin = l.origin ?? '';
      const st: LvStatus = { uuid: l.lv_uuid ?? '', sizeBytes: num(l.lv_size), extentSize: extent };
      const minor = num(l.lv_kernel_minor);
      if (l.lv_active === 'active' && minor >= 0 && l.lv_kernel_minor !== '-1') st.kernel = `dm-${minor}`;
      const user = attached.get(bare(l.lv_name!));
      if (user) st.attachedTo = user;
      if (l.lv_health_status === 'partial') st.fault = `LV ${vg}/${name} is partial: a PV it lies on is missing`;
      const deps = [addr.vg(vg), ...(spec.cache ? [addr.lv(vg, spec.cache.pool)] : []), ...(spec.origin ? [addr.lv(vg, spec.origin)] : [])];
      resources.push({ address: addr.lv(vg, name), kind: 'lvm.lv', driver: 'lvm', spec: spec as unknown as Record<string, unknown>, status: st as unknown as Record<string, unknown>, deps });
    }
  }
  return { resources, orphans: orphans.sort() };
}

export async function observe(host: Host): Promise<Resource[]> {
  const rep = await run(host, FULLREPORT);
  if (!rep) return [missingLayer('lvm', { unavailable: 'lvm2 is not installed (no lvm command)', hint: 'install lvm2 (apt-get install lvm2) or remove storage.lvm from the file' })];
  if (rep.exitCode !== 0) throw new Error(`lvm fullreport failed (exit ${rep.exitCode}): ${rep.stderr.trim().split('\n').filter((l) => !/WARNING/.test(l)).join('; ')}`);
  const { resources, orphans } = parseReport(rep.stdout);
  const blk = await run(host, ['blkid', '-c', '/dev/null', '-o', 'export']);
  const layer: LayerStatus = { signatures: typeLabels(blk?.stdout ?? ''), orphans };
  // a machine with no LVM and no signatures has nothing of LVM to show
  if (resources.length === 0 && orphans.length === 0 && Object.keys(layer.signatures).length === 0) return [];
  return [{ address: addr.layer(), kind: 'lvm.layer', driver: 'lvm', spec: {}, status: layer as unknown as Record<string, unknown>, deps: [] }, ...resources];
}
