/**
 * The snapshot-set steps of a plan (`plan.snapshotSets`, docs/snapshots.md) as text and as
 * Markdown: per set, the snapshot due now (`+`), what is sent to the peer (`>`) and what
 * retention deletes here and on the peer (`-`).
 */
import type { Plan, SnapshotSetStep } from '../core/change.js';

const RULES = ['last', 'hourly', 'daily', 'weekly', 'monthly'] as const;
/** `last 6, hourly 24, ...` in that order whatever order the keys came in (a saved plan sorts them). */
const rule = (k: SnapshotSetStep['spec']['keep']): string => RULES.filter((n) => k[n] !== undefined).map((n) => `${n} ${k[n]}`).join(', ');
const when = (s: SnapshotSetStep['spec']): string => (s.every ? `every ${s.every}` : `at ${(s.at ?? []).join(', ')} UTC`);
const source = (s: SnapshotSetStep['spec']): string => s.btrfs;
const peerOf = (r: NonNullable<SnapshotSetStep['replicate']>): string => `${r.to}:${r.path}`;

/** True when carrying the steps out would take, send or delete anything. */
export const snapshotStepsPending = (steps: readonly SnapshotSetStep[] | undefined): boolean =>
  (steps ?? []).some((s) => !s.error && (s.take !== undefined || s.prune.length > 0 || (s.replicate?.send.length ?? 0) > 0 || (s.replicate?.drop.length ?? 0) > 0));

/** The empty plan's line says `No kernel changes` when the snapshot sets still have work to do. */
export const kernelOnly = (line: string, plan: Pick<Plan, 'snapshotSets'>): string =>
  snapshotStepsPending(plan.snapshotSets) ? line.replace(/^No changes\./, 'No kernel changes.') : line;

/** The lines of one set: header, then `+`, `-`, `>` and peer `-` lines (or `nothing to do`). */
export function snapshotStepLines(s: SnapshotSetStep, o: { peer?: boolean } = {}): string[] {
  if (s.error) return [`snapshot set ${s.set} (${source(s.spec)}):`, `  ! cannot list its snapshots: ${s.error}`];
  const lines = [`snapshot set ${s.set} (${source(s.spec)}, ${when(s.spec)}, keep ${rule(s.spec.keep)}):`];
  if (s.take) lines.push(`  + ${s.take}  (due; ${s.consistency})`);
  for (const p of s.prune) lines.push(`  - ${p}  (retention keeps it no longer)`);
  if (!s.take && s.prune.length === 0) lines.push(`  nothing to do: ${s.kept} snapshot(s), the newest ${s.newest ?? '(none)'}`);
  const r = s.replicate;
  if (r && o.peer !== false) {
    if (r.unreachable) lines.push(`  ! peer ${peerOf(r)} unreachable: ${r.unreachable}`);
    else {
      const how = r.from ? `incremental, from ${r.from}` : 'in full: the peer holds none of this set';
      lines.push(r.send.length ? `  > send ${r.send.join(', ')} to ${peerOf(r)} (${how})` : `  = ${peerOf(r)} holds every snapshot`);
      for (const d of r.drop) lines.push(`  - ${d} on ${peerOf(r)}  (the peer's retention keeps it no longer)`);
    }
  }
  return lines;
}

/** The text plan's section (empty without sets). */
export function renderSnapshotSets(plan: Pick<Plan, 'snapshotSets'>): string {
  const steps = plan.snapshotSets ?? [];
  if (steps.length === 0) return '';
  return `\nSnapshot sets (storage.snapshots):\n${steps.flatMap((s) => snapshotStepLines(s)).join('\n')}\n`;
}

/** The Markdown section: one list item per set, its steps in a diff block. */
export function snapshotSetsMarkdown(plan: Pick<Plan, 'snapshotSets'>): string[] {
  const steps = plan.snapshotSets ?? [];
  if (steps.length === 0) return [];
  // in a diff block `+`/`-` lead the line, so GitHub colours them
  const lines = steps.flatMap((s) => snapshotStepLines(s).map((l) => (l.startsWith('  ') ? l.slice(2) : l)));
  return ['**Snapshot sets** (`storage.snapshots`)', '', '```diff', ...lines, '```', ''];
}
