/**
 * observe(host): btier devices in a fixed number of tool calls: one `blkid -o export` (what a
 * create would destroy), a listing of /sys/block, one readTree of /sys/block/sdtierX/tier per
 * tier device. Members come from `migration_policy` (tier number and device, fastest first); a
 * member no longer under /sys/block (pulled out) is a hardware fault (`status.fault`).
 * Without /sys/class/misc/tiercontrol the module is not loaded: the layer is missing.
 */
import type { Resource } from '../../reconciler/core/resource.js';
import type { Host } from '../../reconciler/host/host.js';
import { missingLayer } from '../../reconciler/stack/layer.js';
import { signaturesFrom } from '../../reconciler/stack/blkid.js';
import type { TierSpec, TierStatus } from './kinds.js';
import { ATTR_DEFAULTS, addr } from './kinds.js';

const MiB = 1024 * 1024;

/** Rows of migration_policy: `tier device max_age hit_collecttime` under a header line. */
export function membersOf(policy: string): string[] {
  return policy
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\S+)\s+\d+\s+\d+\s*$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map((m) => `/dev/${m[2]}`);
}

export async function observe(host: Host): Promise<Resource[]> {
  if (!(await host.sysfs.exists('/sys/class/misc/tiercontrol'))) {
    return [missingLayer('btier', { unavailable: 'the btier kernel module is not loaded (/dev/tiercontrol is missing)', hint: 'load it with modprobe btier (on ESOS: an optional build, rc.btier_enable=YES in /etc/rc.conf)' })];
  }
  const blk = await host.exec(['blkid', '-o', 'export']);
  const { signatures } = signaturesFrom(blk);
  const block = (await host.sysfs.list('/sys/block')).sort();
  const present = new Set(block);
  const out: Resource[] = [{ address: addr.layer(), kind: 'btier.layer', driver: 'btier', spec: {}, status: { signatures, present: block }, deps: [] }];
  const names = block.filter((n) => /^sdtier[a-z]+$/.test(n));
  const trees = await Promise.all(names.map((n) => host.sysfs.readTree(`/sys/block/${n}/tier`)));
  names.forEach((name, i) => {
    const m = new Map((trees[i] ?? []).map((e) => [e.path, (e.content ?? '').trim()]));
    const attributes: Record<string, string> = {};
    for (const k of Object.keys(ATTR_DEFAULTS)) if (m.has(k)) attributes[k] = m.get(k) as string;
    const spec: TierSpec = { devices: membersOf(m.get('migration_policy') ?? ''), attributes };
    const status: TierStatus = { kernelName: name, uuid: m.get('uuid') ?? '', sizeBytes: Number(m.get('size_in_blocks') ?? 0) * MiB };
    // a member pulled out under a running tier device: btier keeps it in its table, I/O to its blocks fails
    const gone = spec.devices.filter((d) => !present.has(d.slice('/dev/'.length)));
    if (gone.length) status.fault = `tier member${gone.length > 1 ? 's' : ''} ${gone.join(', ')} missing: the blocks on ${gone.length > 1 ? 'them' : 'it'} cannot be read`;
    out.push({ address: addr.device(name), kind: 'btier.device', driver: 'btier', spec: spec as unknown as Record<string, unknown>, status: status as unknown as Record<string, unknown>, deps: [] });
  });
  return out;
}
