/**
 * A readable summary of an emulated machine (`sanform sim show DIR`), read through the Host in one
 * readTree call.
 */
import type { Host, TreeEntry } from '../../reconciler/host/host.js';
import { SCST_ROOT } from '../../reconciler/host/host.js';
import type { HardwareProfile } from './hardware.js';

const first = (s: string | undefined): string => (s ?? '').split('\n')[0];

/** The tree indexed by path and by parent. */
class View {
  readonly by = new Map<string, TreeEntry>();
  private readonly children = new Map<string, string[]>();
  constructor(tree: TreeEntry[]) {
    for (const e of tree) {
      this.by.set(e.path, e);
      const cut = e.path.lastIndexOf('/');
      const parent = cut < 0 ? '' : e.path.slice(0, cut);
      if (e.path !== '') (this.children.get(parent) ?? this.children.set(parent, []).get(parent)!).push(e.path.slice(cut + 1));
    }
  }
  kids(p: string): string[] {
    return this.children.get(p) ?? [];
  }
  content(p: string): string {
    return first(this.by.get(p)?.content);
  }
  /** `N:device` for every LUN of the set under `p`. */
  luns(p: string): string[] {
    return this.kids(`${p}/luns`).filter((l) => /^\d+$/.test(l)).map((l) => `${l}:${(this.by.get(`${p}/luns/${l}/device`)?.target ?? '').split('/').pop()}`);
  }
}

function targetLines(v: View, drv: string, t: string): string[] {
  const base = `targets/${drv}/${t}`;
  const en = v.by.has(`${base}/enabled`) ? ` enabled=${v.content(`${base}/enabled`)}` : '';
  const out = [`    ${t}${en} rel_tgt_id=${v.content(`${base}/rel_tgt_id`)}`];
  const tl = v.luns(base);
  if (tl.length) out.push(`      luns ${tl.join(' ')}`);
  for (const g of v.kids(`${base}/ini_groups`).filter((x) => x !== 'mgmt')) {
    const inis = v.kids(`${base}/ini_groups/${g}/initiators`).filter((x) => x !== 'mgmt');
    out.push(`      group ${g}: luns ${v.luns(`${base}/ini_groups/${g}`).join(' ') || '-'}; initiators ${inis.join(', ') || '-'}`);
  }
  for (const s of v.kids(`${base}/sessions`)) out.push(`      session ${s} -> ${v.by.get(`${base}/sessions/${s}/luns`)?.target ?? '?'}`);
  return out;
}

function hardwareLines(v: View, hw: HardwareProfile): string[] {
  const port = (drv: string, name: string) => `${name}${v.by.has(`targets/${drv}/${name}`) ? '' : ' (unplugged)'}`;
  return [
    'hardware:',
    `  block devices: ${hw.blockDevices.map((b) => `${b.path} (${b.sizeBytes} B)`).join(', ') || '-'}`,
    `  FC ports: ${hw.fcPorts.map((p) => port('qla2x00t', p.wwpn)).join(', ') || '-'}`,
    `  SRP ports: ${hw.srpPorts.map((p) => port('ib_srpt', p.gid)).join(', ') || '-'}`,
    `  FCoE ports: ${hw.fcoePorts.map((p) => port('fcst', p.wwpn)).join(', ') || '-'}`,
    `  SCSI devices: ${hw.scsiDevices.map((s) => `${s.hctl} ${s.type}`).join(', ') || '-'}`,
  ];
}

/** Renders handlers/devices, targets with LUNs, groups, initiators, sessions, iSCSI, hardware. */
export async function summarize(host: Host, hw: HardwareProfile): Promise<string> {
  const v = new View(await host.sysfs.readTree(SCST_ROOT));
  const out: string[] = [`machine ${await host.hostname()} (${host.id})`, '', 'handlers:'];
  for (const h of v.kids('handlers')) {
    const devs = v.kids(`handlers/${h}`).filter((n) => v.by.get(`handlers/${h}/${n}`)?.type === 'link');
    out.push(`  ${h}: ${devs.length ? devs.join(', ') : '-'}`);
  }
  const unbound = v.kids('devices').filter((d) => !v.by.has(`devices/${d}/handler`));
  if (unbound.length) out.push(`  (unbound SCSI devices: ${unbound.join(', ')})`);
  out.push('', 'targets:');
  for (const drv of v.kids('targets')) {
    const targets = v.kids(`targets/${drv}`).filter((t) => v.by.get(`targets/${drv}/${t}`)?.type === 'dir');
    const daemon = drv === 'iscsi' ? ` [iscsi-scstd ${v.content('targets/iscsi/open_state') === 'open' ? 'up' : 'down'}]` : '';
    out.push(`  ${drv}${daemon}: ${targets.length ? '' : '-'}`);
    for (const t of targets) out.push(...targetLines(v, drv, t));
  }
  const dgs = v.kids('device_groups').filter((x) => x !== 'mgmt');
  if (dgs.length) out.push('', 'device groups:', ...dgs.map((d) => `  ${d}: devices ${v.kids(`device_groups/${d}/devices`).filter((x) => x !== 'mgmt').join(', ') || '-'}`));
  out.push('', ...hardwareLines(v, hw));
  return `${out.join('\n')}\n`;
}
