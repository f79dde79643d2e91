/**
 * Revert a snapshot set's subvolume to one of its snapshots, under the SCST devices that export
 * files in it, without changing who those devices are. Steps, all through the Host:
 *  1. a safety snapshot of the current data (`NAME@pre-revert-<time>`: outside the schedule's
 *     names, so retention never prunes it);
 *  2. a writable snapshot of the chosen snapshot beside the subvolume;
 *  3. every exporting device `active=0` (vdisk closes its file; I/O pauses);
 *  4. the subvolume renamed aside and the new one renamed into its place (same paths, so every
 *     device's `filename` is unchanged);
 *  5. every device `active=1` (vdisk reopens the same path, now the reverted data);
 *  6. the set-aside subvolume deleted (its data is in the safety snapshot).
 * A failure in 3-5 puts the original subvolume back and reactivates the devices.
 * The device names, t10_dev_id, usn, LUN numbers and sessions are not touched.
 */
import { basename, dirname, join } from 'node:path';
import { SanformError } from '../../reconciler/core/errors.js';
import type { Host } from '../../reconciler/host/host.js';
import { deleteSubvolume, type Run, type Subvolume } from './btrfs.js';

/** An SCST device whose backing file is in the subvolume, with who uses it now. */
export interface Exporter {
  device: string;
  /** `/sys/kernel/scst_tgt/devices/<device>/active` */
  activePath: string;
  /** `target LUN n` lines, for people. */
  luns: string[];
  sessions: string[];
}

export interface RevertPlan {
  set: string;
  subvolume: string;
  to: Subvolume;
  safety: string;
  exporters: Exporter[];
}

export function revertPlanText(p: RevertPlan): string {
  const sessions = [...new Set(p.exporters.flatMap((e) => e.sessions))];
  const lines = [
    `revert ${p.subvolume} to ${p.to.name} [DATA-LOSS] [IO-DISRUPT]${sessions.length ? ' [SESSION]' : ''}`,
    `  + ${p.safety}  (safety snapshot of the current data, kept until you delete it)`,
    `  ! the data written since ${p.to.name.slice(p.to.name.indexOf('@') + 1)} is replaced (it stays in the safety snapshot)`,
  ];
  for (const e of p.exporters) {
    lines.push(`  ~ scst/device/${e.device}  active 1 -> 0 -> 1 around the swap: I/O pauses; name, t10_dev_id, usn, LUNs kept`);
    for (const l of e.luns) lines.push(`      exported as ${l}`);
    if (e.sessions.length) lines.push(`      logged in now: ${e.sessions.join(', ')}`);
  }
  lines.push('  what does not survive: initiators are not told the data changed; stop what uses these LUNs (or');
  lines.push('  unmount the file systems on them) before a revert, or their caches hold the old blocks.');
  return `${lines.join('\n')}\n`;
}

export async function runRevert(host: Host, p: RevertPlan): Promise<void> {
  const run: Run = (argv) => host.exec(argv);
  const must = async (argv: string[]) => {
    const r = await run(argv);
    if (r.exitCode !== 0) throw new SanformError('REVERT_FAILED', `${argv.join(' ')} exited ${r.exitCode}: ${r.stderr.trim().split('\n')[0] ?? ''}`, { hint: 'nothing was swapped; check the snapshot and the file system' });
  };
  const dir = dirname(p.subvolume);
  const fresh = join(dir, `.${basename(p.subvolume)}.revert-new`);
  const aside = join(dir, `.${basename(p.subvolume)}.revert-old`);
  await must(['btrfs', 'subvolume', 'snapshot', '-r', p.subvolume, join(dir, p.safety)]);
  await must(['btrfs', 'subvolume', 'snapshot', p.to.path, fresh]);
  const paused: Exporter[] = [];
  let swapped = false;
  try {
    for (const e of p.exporters) {
      await host.sysfs.writeAttr(e.activePath, '0');
      paused.push(e);
    }
    await must(['mv', '-T', p.subvolume, aside]);
    try {
      await must(['mv', '-T', fresh, p.subvolume]);
      swapped = true;
    } catch (e) {
      await must(['mv', '-T', aside, p.subvolume]);
      throw e;
    }
  } finally {
    for (const e of paused) await host.sysfs.writeAttr(e.activePath, '1');
  }
  if (swapped) await deleteSubvolume(run, aside);
}
