/**
 * `sanform snapshot revert SET SNAPSHOT`: the plan of a revert (drivers/snapshot/revert.ts) with
 * the SCST devices that export files of the subvolume and who is logged in to them, shown first
 * and approved like apply (terminal question or --auto-approve).
 */
import type { CommandIO } from '../command.js';
import { approved } from '../confirm.js';
import type { Host } from '../../reconciler/host/host.js';
import { SanformError } from '../../reconciler/core/errors.js';
import { observe } from '../../reconciler/snapshot/index.js';
import type { SnapshotSetSpec } from '../../schema/model.js';
import { scstDriver } from '../../drivers/scst/index.js';
import { parseAddr, sysPath } from '../../drivers/scst/address.js';
import { lunsOfDevice, sessionsOfLun, uniq } from '../../drivers/scst/sessions.js';
import { listSnapshots } from '../../drivers/snapshot/btrfs.js';
import { revertPlanText, runRevert, type Exporter, type RevertPlan } from '../../drivers/snapshot/revert.js';

async function exporters(host: Host, node: string, subvolume: string): Promise<Exporter[]> {
  const live = await observe(host, [scstDriver], { node });
  const out: Exporter[] = [];
  for (const r of live.resources.values()) {
    const file = (r.spec as { attributes?: Record<string, unknown> }).attributes?.filename;
    if (r.kind !== 'scst.device' || typeof file !== 'string' || !file.startsWith(`${subvolume}/`)) continue;
    const device = r.address.slice('scst/device/'.length);
    const luns = lunsOfDevice(live, device);
    out.push({
      device,
      activePath: `${sysPath.device(device)}/active`,
      luns: luns.map((l) => {
        const p = parseAddr(l.address);
        return `${p.tgt}${p.group ? ` group ${p.group}` : ''} LUN ${p.lun}`;
      }),
      sessions: uniq(luns.flatMap((l) => sessionsOfLun(live, l.address))),
    });
  }
  return out;
}

export async function snapshotRevert(o: { host: Host; io: CommandIO; node: string; set: string; spec: SnapshotSetSpec; snapshot: string; now: Date; autoApprove: boolean }): Promise<number> {
  const snaps = await listSnapshots((argv) => o.host.exec(argv), o.spec.btrfs);
  const to = snaps.find((s) => s.name === o.snapshot);
  if (!to) throw new SanformError('SNAPSHOT_NOT_FOUND', `${o.snapshot} is not a snapshot of set ${o.set}`, { hint: `one of: ${snaps.map((s) => s.name).join(', ') || '(none yet)'} (sanform snapshot list)` });
  const base = o.spec.btrfs.split('/').pop()!;
  const plan: RevertPlan = { set: o.set, subvolume: o.spec.btrfs, to, safety: `${base}@pre-revert-${o.now.toISOString().slice(0, 19)}Z`, exporters: await exporters(o.host, o.node, o.spec.btrfs) };
  o.io.stdout.write(revertPlanText(plan));
  const ok = await approved({ io: o.io, autoApprove: o.autoApprove, text: { cmd: 'snapshot revert', doing: 'revert (data loss: the current data is replaced)', question: `Revert ${o.spec.btrfs} to ${to.name}?`, cancelled: 'Revert cancelled; nothing changed.' } });
  if (!ok) return 1;
  await runRevert(o.host, plan);
  o.io.stdout.write(`reverted ${o.spec.btrfs} to ${to.name}; the data before is in ${plan.safety}\n`);
  return 0;
}
