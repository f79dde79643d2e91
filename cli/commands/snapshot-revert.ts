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
import type { Snapshot } from '../../reconciler/core/resource.js';
import { recordSafely } from '../../reconciler/state/pending.js';
import { lastGoodRevision } from '../../reconciler/state/history.js';
import { repoSettings } from '../../reconciler/state/init.js';
import { openStore } from '../../reconciler/state/store.js';

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

/**
 * Records the revert on `refs/sanform/<node>/applied` as a `revert` record: the revert plan, its
 * outcome and the SCST state after, under the desired revision in force (so watch and boot see no
 * new revision to apply). Never throws: a repo that cannot be written keeps a pending record.
 */
async function recordRevert(o: { repo: string; host: Host; node: string; plan: RevertPlan; startedAt: Date; error?: Error }): Promise<string> {
  const store = await openStore(o.repo);
  const node = (await repoSettings(store)).node ?? o.node;
  const snapshot = await observe(o.host, [scstDriver], { node }).catch(() => ({ node, resources: new Map() }) as unknown as Snapshot);
  const r = await recordSafely({
    repo: o.repo,
    stateDir: o.host.stateDir,
    record: {
      kind: 'revert', node, host: o.host.id, desiredRevision: await lastGoodRevision(store, node),
      startedAt: o.startedAt.toISOString(), finishedAt: new Date().toISOString(), ok: !o.error,
      plan: { set: o.plan.set, subvolume: o.plan.subvolume, to: o.plan.to.name, safety: o.plan.safety, devices: o.plan.exporters.map((e) => ({ device: e.device, luns: e.luns, sessions: e.sessions })) },
      outcome: [{ address: `snapshot/${o.plan.set}/${o.plan.to.name}`, action: 'revert', status: o.error ? 'failed' : 'applied', ...(o.error ? { error: { code: (o.error as { code?: string }).code ?? 'REVERT_FAILED', message: o.error.message } } : {}) }],
      snapshot,
    },
  });
  return r.ok && r.oid ? `recorded as ${r.oid.slice(0, 12)} on ${r.ref}` : `not recorded yet (${r.error?.message}); saved as pending, written by the next run`;
}

export async function snapshotRevert(o: { host: Host; io: CommandIO; node: string; set: string; spec: SnapshotSetSpec; snapshot: string; now: Date; autoApprove: boolean; repo?: string }): Promise<number> {
  const snaps = await listSnapshots((argv) => o.host.exec(argv), o.spec.btrfs);
  const to = snaps.find((s) => s.name === o.snapshot);
  if (!to) throw new SanformError('SNAPSHOT_NOT_FOUND', `${o.snapshot} is not a snapshot of set ${o.set}`, { hint: `one of: ${snaps.map((s) => s.name).join(', ') || '(none yet)'} (sanform snapshot list)` });
  const base = o.spec.btrfs.split('/').pop()!;
  const plan: RevertPlan = { set: o.set, subvolume: o.spec.btrfs, to, safety: `${base}@pre-revert-${o.now.toISOString().slice(0, 19)}Z`, exporters: await exporters(o.host, o.node, o.spec.btrfs) };
  o.io.stdout.write(revertPlanText(plan));
  const ok = await approved({ io: o.io, autoApprove: o.autoApprove, text: { cmd: 'snapshot revert', doing: 'revert (data loss: the current data is replaced)', question: `Revert ${o.spec.btrfs} to ${to.name}?`, cancelled: 'Revert cancelled; nothing changed.' } });
  if (!ok) return 1;
  const startedAt = new Date();
  let failed: Error | undefined;
  try {
    await runRevert(o.host, plan);
  } catch (e) {
    failed = e as Error;
  }
  if (o.repo) o.io.stdout.write(`${await recordRevert({ repo: o.repo, host: o.host, node: o.node, plan, startedAt, error: failed })}\n`);
  if (failed) throw failed;
  o.io.stdout.write(`reverted ${o.spec.btrfs} to ${to.name}; the data before is in ${plan.safety}\n`);
  if (!o.repo) o.io.stdout.write('not recorded: no state repository (--repo PATH or SANFORM_REPO)\n');
  return 0;
}
