/**
 * Where a qla2x00t target's `host` link points (§5.2). scst_qla2xxx.c links every target it
 * registers to its Scsi_Host (`sysfs_create_link(..., &vha->host->shost_dev.kobj, "host")` in
 * sqa_init_scst_tgt) and compiles its `parent_host` file out (`#if EXCLUDED`), so the link is the
 * one place that shows an NPIV target's physical port: the FC transport makes a vport a child of
 * its parent's Scsi_Host (`vport-<host>:<channel>-<n>`, fc_vport_setup in scsi_transport_fc.c) and
 * qla24xx_create_vhost hangs the vport's own Scsi_Host under it. So
 *   physical: ../../../../../devices/<pci>/host<P>/scsi_host/host<P>
 *   NPIV:     ../../../../../devices/<pci>/host<P>/vport-<P>:0-<n>/host<V>/scsi_host/host<V>
 * The PCI addresses and host numbers are made up (stable per profile); what matters is the shape.
 */
import type { ScstState, TargetState } from './state.js';

/** from targets/qla2x00t/<wwpn>/ up to /sys. */
const UP = '../../../../..';

/** host numbers of the local SCSI devices (H of H:C:I:L): the FC ports come after them. */
function firstFcHost(st: ScstState): number {
  let max = -1;
  for (const s of st.hardware.scsiDevices) max = Math.max(max, Number(s.hctl.split(':')[0]));
  return max + 1;
}

/** the physical port's SCSI host number and its device path under /sys/devices. */
export function fcPortHost(st: ScstState, wwpn: string): { hostNo: number; path: string } | undefined {
  const i = st.hardware.fcPorts.findIndex((p) => p.wwpn === wwpn);
  if (i < 0) return undefined;
  const hostNo = firstFcHost(st) + i;
  // one dual-port HBA per two ports: functions .0 and .1 of one PCI device
  const bus = (5 + Math.floor(i / 2)).toString(16).padStart(2, '0');
  return { hostNo, path: `devices/pci0000:00/0000:00:03.0/0000:${bus}:00.${i % 2}/host${hostNo}` };
}

/** gives a new NPIV target its vport host number and vport number on its parent. */
export function allocVport(st: ScstState, t: TargetState): void {
  if (!t.npiv) return;
  const parent = t.npiv.parentHost;
  let last = st.lastScsiHost ?? firstFcHost(st) + st.hardware.fcPorts.length - 1;
  let vport = 0;
  for (const o of Object.values(st.drivers.qla2x00t.targets)) {
    if (o.npiv?.hostNo !== undefined) last = Math.max(last, o.npiv.hostNo);
    if (o.npiv?.parentHost === parent && o.npiv.vport !== undefined) vport = Math.max(vport, o.npiv.vport + 1);
  }
  st.lastScsiHost = last + 1;
  t.npiv.hostNo = last + 1;
  t.npiv.vport = vport;
}

/** the `host` link's target, or undefined when the port is not in the profile. */
export function hostLink(st: ScstState, name: string, t: TargetState): string | undefined {
  if (!t.npiv) {
    const p = fcPortHost(st, name);
    return p && `${UP}/${p.path}/scsi_host/host${p.hostNo}`;
  }
  const p = fcPortHost(st, t.npiv.parentHost);
  if (!p || t.npiv.hostNo === undefined) return undefined;
  const v = t.npiv.hostNo;
  return `${UP}/${p.path}/vport-${p.hostNo}:0-${t.npiv.vport ?? 0}/host${v}/scsi_host/host${v}`;
}
