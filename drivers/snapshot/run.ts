/**
 * Carries out a set's plan on a host: the freeze hook, the snapshot, the thaw hook (also when
 * the snapshot failed), then the deletions. Returns what it did; stops at the first failure.
 */
import type { SnapshotSetSpec } from '../../schema/model.js';
import type { Host } from '../../reconciler/host/host.js';
import { SanformError } from '../../reconciler/core/errors.js';
import { deleteSubvolume, takeSnapshot, type Run } from './btrfs.js';
import type { SetPlan } from './plan.js';

export interface SetResult {
  taken?: string;
  pruned: string[];
}

async function hook(run: Run, argv: string[], what: string): Promise<void> {
  const r = await run(argv);
  if (r.exitCode !== 0) throw new SanformError('SNAPSHOT_HOOK_FAILED', `${what} hook ${argv[0]} exited ${r.exitCode}: ${r.stderr.trim().split('\n')[0] ?? ''}`, { hint: `fix the ${what} command in storage.snapshots, or use consistency: crash` });
}

export async function runSetPlan(host: Host, p: SetPlan, spec: SnapshotSetSpec): Promise<SetResult> {
  const run: Run = (argv) => host.exec(argv);
  const out: SetResult = { pruned: [] };
  if (p.take) {
    const hooks = spec.consistency && spec.consistency !== 'crash' ? spec.consistency : undefined;
    if (hooks) await hook(run, hooks.freeze, 'freeze');
    try {
      await takeSnapshot(run, { subvolume: p.subvolume, name: p.take });
      out.taken = p.take;
    } finally {
      if (hooks) await hook(run, hooks.thaw, 'thaw');
    }
  }
  for (const s of p.prune) {
    await deleteSubvolume(run, s.path);
    out.pruned.push(s.name);
  }
  return out;
}
