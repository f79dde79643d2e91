/**
 * observe: `/proc/mdstat` (arrays, sizes, chunk, faulty members), one `mdadm --detail --export`
 * for all arrays (level, metadata, uuid, name, roles), one `blkid` for the signatures the
 * create guard names, and /etc/mdadm.conf. Four reads whatever the number of arrays.
 */
import { isErrno } from '../../reconciler/core/errors.js';
import type { Resource } from '../../reconciler/core/resource.js';
import type { Host } from '../../reconciler/host/host.js';
import { missingLayer } from '../../reconciler/stack/layer.js';
import { addr, CHUNKED, MDADM_CONF, type ArraySpec, type ArrayStatus } from './kinds.js';
import { typeLabels } from '../../reconciler/stack/blkid.js';

interface Stat {
  kernel: string;
  sizeBytes: number;
  chunk?: number;
  faulty: string[];
  raidDisks: number;
  activeDisks: number;
}

/** `/proc/mdstat` -> arrays. */
export function parseMdstat(text: string): Stat[] {
  const out: Stat[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(md\d+) : (\S+) (\S+) (.*)$/.exec(lines[i]!);
    if (!m) continue;
    const faulty = [...m[4]!.matchAll(/(\S+)\[\d+\]\(F\)/g)].map((x) => `/dev/${x[1]}`);
    const next = lines[i + 1] ?? '';
    const blocks = /(\d+) blocks/.exec(next);
    const chunk = /(\d+)k chunk/.exec(next);
    const counts = /\[(\d+)\/(\d+)\]/.exec(next);
    out.push({
      kernel: m[1]!, sizeBytes: Number(blocks?.[1] ?? 0) * 1024, faulty,
      ...(chunk ? { chunk: Number(chunk[1]) * 1024 } : {}),
      raidDisks: Number(counts?.[1] ?? 0), activeDisks: Number(counts?.[2] ?? 0),
    });
  }
  return out;
}

/** `mdadm --detail --export A B ...` -> one key/value map per array (each starts at MD_LEVEL). */
export function parseExport(text: string): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i < 0) continue;
    const k = line.slice(0, i);
    if (k === 'MD_LEVEL') out.push(new Map());
    out[out.length - 1]?.set(k, line.slice(i + 1));
  }
  return out;
}

const notInstalled = (e: unknown) => isErrno(e, 'ENOENT') || isErrno(e, 'EACCES');

async function run(host: Host, argv: string[]): Promise<{ exitCode: number; stdout: string; stderr: string } | undefined> {
  try {
    const r = await host.exec(argv, { env: { LC_ALL: 'C' } });
    return r.exitCode === 127 ? undefined : r;
  } catch (e) {
    if (notInstalled(e)) return undefined;
    throw e;
  }
}

export async function observe(host: Host): Promise<Resource[]> {
  let mdstat: string;
  try {
    mdstat = await host.sysfs.read('/proc/mdstat');
  } catch (e) {
    if (!isErrno(e, 'ENOENT')) throw e;
    return [missingLayer('md', { unavailable: 'the md driver is not loaded (/proc/mdstat is missing)', hint: 'load the md RAID modules (raid1, raid10, raid456) or remove storage.md from the file' })];
  }
  const stats = parseMdstat(mdstat);
  const detail = await run(host, stats.length ? ['mdadm', '--detail', '--export', ...stats.map((s) => `/dev/${s.kernel}`)] : ['mdadm', '--version']);
  if (!detail) return [missingLayer('md', { unavailable: 'mdadm is not installed', hint: 'install mdadm (apt-get install mdadm) or remove storage.md from the file' })];
  const blk = await run(host, ['blkid', '-c', '/dev/null', '-o', 'export']);
  const out: Resource[] = [{ address: addr.layer(), kind: 'md.layer', driver: 'md', spec: {}, status: { signatures: typeLabels(blk?.stdout ?? '') }, deps: [] }];
  const details = stats.length ? parseExport(detail.stdout) : [];
  const uuids = new Map<string, string>();
  stats.forEach((s, i) => {
    const d = details[i];
    if (!d) return;
    const r = arrayResource(s, d);
    uuids.set((r.status as unknown as ArrayStatus).uuid, (r.spec as unknown as ArraySpec).name);
    out.push(r);
  });
  const conf = confResource((await host.files.read(MDADM_CONF)) ?? '', uuids);
  // a machine with no arrays, no ARRAY lines and no signatures has nothing of md to show
  const sigs = (out[0]!.status as { signatures: Record<string, string> }).signatures;
  if (out.length === 1 && Object.keys(sigs).length === 0 && (conf.spec as { arrays: string[] }).arrays.length === 0) return [];
  out.push(conf);
  return out;
}

function arrayResource(s: Stat, d: Map<string, string>): Resource {
  const devices: string[] = [];
  const spares: string[] = [];
  for (const [k, v] of d) {
    const m = /^MD_DEVICE_(.+)_ROLE$/.exec(k);
    if (!m) continue;
    const dev = d.get(`MD_DEVICE_${m[1]}_DEV`);
    if (!dev) continue;
    if (v === 'spare') spares.push(dev);
    else devices.push(dev);
  }
  const level = d.get('MD_LEVEL') ?? 'unknown';
  const name = d.get('MD_DEVNAME') ?? s.kernel;
  const spec: ArraySpec = { level, devices: devices.sort(), spares: spares.sort(), ...(CHUNKED.has(level) && s.chunk ? { chunk: s.chunk } : {}), metadata: d.get('MD_METADATA') ?? '1.2', name };
  const missing = s.raidDisks - s.activeDisks;
  const status: ArrayStatus = { kernel: s.kernel, uuid: d.get('MD_UUID') ?? '', sizeBytes: s.sizeBytes };
  if (s.faulty.length) status.faulty = s.faulty.sort();
  if (missing > 0) status.fault = `degraded: ${missing} of ${s.raidDisks} members missing${s.faulty.length ? ` (${s.faulty.join(', ')} faulty)` : ''}`;
  return { address: addr.array(name), kind: 'md.array', driver: 'md', spec: spec as unknown as Record<string, unknown>, status: status as unknown as Record<string, unknown>, deps: [] };
}

/**
 * The ARRAY lines of mdadm.conf that name a live array by its UUID. A file with no ARRAY line at
 * all (or none) makes `mdadm --assemble --scan` assemble every array it finds at boot: that is
 * every live array, so a machine set up by hand is not planned a change for it.
 */
function confResource(text: string, uuids: Map<string, string>): Resource {
  const arrays: string[] = [];
  let lines = 0;
  for (const line of text.split('\n')) {
    if (/^ARRAY\s/.test(line)) lines++;
    const u = /^ARRAY\s.*\bUUID=([0-9a-f:]+)/.exec(line);
    const name = u ? uuids.get(u[1]!) : undefined;
    if (name) arrays.push(name);
  }
  const scan = lines === 0;
  const names = scan ? [...uuids.values()] : arrays;
  return { address: addr.conf(), kind: 'md.conf', driver: 'md', spec: { arrays: [...new Set(names)].sort() }, ...(scan ? { status: { assembly: 'scan' } } : {}), deps: [] };
}
