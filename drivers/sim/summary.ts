/**
 * A readable summary of an emulated machine (`sanform sim show DIR`), read through the Host.
 */
import type { Host } from '../../reconciler/host/host.js';
import { SCST_ROOT } from '../../reconciler/host/host.js';
import type { HardwareProfile } from './hardware.js';

const first = (s: string | undefined): string => (s ?? '').split('\n')[0];

/** Renders handlers/devices, targets with LUNs, groups, initiators, sessions, iSCSI, hardware. */
export async function summarize(host: Host, hw: HardwareProfile): Promise<string> {
  const tree = await host.sysfs.readTree(SCST_ROOT);
  const by = new Map(tree.map((e) => [e.path, e]));
  const kids = (p: string): string[] =>
    tree.filter((e) => e.path.startsWith(`${p}/`) && !e.path.slice(p.length + 1).includes('/')).map((e) => e.path.slice(p.length + 1));
  const out: string[] = [`machine ${await host.hostname()} (${host.id})`, '', 'handlers:'];
  for (const h of kids('handlers')) {
    const devs = kids(`handlers/${h}`).filter((n) => by.get(`handlers/${h}/${n}`)?.type === 'link');
    out.push(`  ${h}: ${devs.length ? devs.join(', ') : '-'}`);
  }
  const unbound = kids('devices').filter((d) => !by.has(`devices/${d}/handler`));
  if (unbound.length) out.push(`  (unbound SCSI devices: ${unbound.join(', ')})`);
  out.push('', 'targets:');
  for (const drv of kids('targets')) {
    const targets = kids(`targets/${drv}`).filter((t) => by.get(`targets/${drv}/${t}`)?.type === 'dir');
    const extra = drv === 'iscsi' ? ` [iscsi-scstd ${first(by.get('targets/iscsi/open_state')?.content) === 'open' ? 'up' : 'down'}]` : '';
    out.push(`  ${drv}${extra}: ${targets.length ? '' : '-'}`);
    for (const t of targets) {
      const base = `targets/${drv}/${t}`;
      const en = by.get(`${base}/enabled`)?.content;
      out.push(`    ${t}${en !== undefined ? ` enabled=${first(en)}` : ''} rel_tgt_id=${first(by.get(`${base}/rel_tgt_id`)?.content)}`);
      const luns = (p: string) => kids(`${p}/luns`).filter((l) => /^\d+$/.test(l)).map((l) => `${l}:${(by.get(`${p}/luns/${l}/device`)?.target ?? '').split('/').pop()}`);
      const tl = luns(base);
      if (tl.length) out.push(`      luns ${tl.join(' ')}`);
      for (const g of kids(`${base}/ini_groups`).filter((x) => x !== 'mgmt')) {
        const inis = kids(`${base}/ini_groups/${g}/initiators`).filter((x) => x !== 'mgmt');
        out.push(`      group ${g}: luns ${luns(`${base}/ini_groups/${g}`).join(' ') || '-'}; initiators ${inis.join(', ') || '-'}`);
      }
      for (const s of kids(`${base}/sessions`)) out.push(`      session ${s} -> ${by.get(`${base}/sessions/${s}/luns`)?.target ?? '?'}`);
    }
  }
  const dgs = kids('device_groups').filter((x) => x !== 'mgmt');
  if (dgs.length) out.push('', 'device groups:', ...dgs.map((d) => `  ${d}: devices ${kids(`device_groups/${d}/devices`).filter((x) => x !== 'mgmt').join(', ') || '-'}`));
  out.push('', 'hardware:');
  out.push(`  block devices: ${hw.blockDevices.map((b) => `${b.path} (${b.sizeBytes} B)`).join(', ') || '-'}`);
  const port = (drv: string, name: string) => `${name}${by.has(`targets/${drv}/${name}`) ? '' : ' (unplugged)'}`;
  out.push(`  FC ports: ${hw.fcPorts.map((p) => port('qla2x00t', p.wwpn)).join(', ') || '-'}`);
  out.push(`  SRP ports: ${hw.srpPorts.map((p) => port('ib_srpt', p.gid)).join(', ') || '-'}`);
  out.push(`  FCoE ports: ${hw.fcoePorts.map((p) => port('fcst', p.wwpn)).join(', ') || '-'}`);
  out.push(`  SCSI devices: ${hw.scsiDevices.map((s) => `${s.hctl} ${s.type}`).join(', ') || '-'}`);
  return `${out.join('\n')}\n`;
}
