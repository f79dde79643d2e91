/**
 * The snapshot sets of a node as one step, shared by `sanform snapshot`, `plan`, `apply` and
 * `watch`: what each set needs now (the due snapshot, what retention drops here and on the peer,
 * what the peer lacks), its text, and carrying it out. Listing makes one `findmnt` and one
 * `btrfs subvolume list` per side per set.
 */
import { basename } from 'node:path';
import type { SanformModel, SnapshotSetSpec } from '../../schema/model.js';
import type { Host } from '../../reconciler/host/host.js';
import { deleteSubvolume, listSet, listSnapshots, type Run, type Subvolume } from './btrfs.js';
import { planSet, setPlanText, type SetPlan } from './plan.js';
import { replicate, transportFor } from './replicate.js';
import { keep } from './retention.js';
import { runSetPlan } from './run.js';
import { timeOfName } from './schedule.js';

const timeOfSlot = (name: string): Date => timeOfName(name.slice(0, name.lastIndexOf('@')), name)!;

const onNode = (spec: SnapshotSetSpec, node: string): boolean =>
  spec.node === undefined || (Array.isArray(spec.node) ? spec.node.includes(node) : spec.node === node);

/** The sets of `model` that run on `node` (only `only`, when given). */
export function setsFor(model: SanformModel, node: string, only?: string): [string, SnapshotSetSpec][] {
  return Object.entries(model.storage?.snapshots ?? {}).filter(([n, s]) => (only === undefined || n === only) && onNode(s, node));
}

export const peerRun = (host: Host, spec: SnapshotSetSpec): Run | undefined => {
  if (!spec.replicate) return undefined;
  const to = transportFor(spec.replicate.to);
  return (argv) => host.exec(to(argv));
};

/** What the peer holds completely (received), newest first. */
export async function peerCopies(host: Host, spec: SnapshotSetSpec): Promise<Subvolume[]> {
  const run = peerRun(host, spec);
  if (!run || !spec.replicate) return [];
  return (await listSet(run, { dir: spec.replicate.path, set: basename(spec.btrfs) })).filter((s) => s.receivedUuid);
}

/** The peer's copies its own retention (`replicate.keep`, else the set's `keep`) drops. */
export function peerDrops(spec: SnapshotSetSpec, there: readonly Subvolume[]): Subvolume[] {
  const kept = keep(spec.replicate?.keep ?? spec.keep, there.map((s) => s.time));
  return there.filter((_, i) => !kept.has(i));
}

export interface SetStep {
  set: string;
  spec: SnapshotSetSpec;
  plan: SetPlan;
  /** local snapshots the peer lacks (newest first); undefined without replicate: or when the peer is unreachable. */
  unsent?: string[];
  /** the peer's copies its keep: drops once the unsent ones arrived. */
  peerDrop?: string[];
  /** why the peer could not be listed. */
  peerError?: string;
  /** why this side could not be listed (nothing is done for the set). */
  error?: string;
}

/** Plans every set (pure apart from the listings). */
export async function planSets(host: Host, sets: readonly [string, SnapshotSetSpec][], now: Date): Promise<SetStep[]> {
  const run: Run = (argv) => host.exec(argv);
  const out: SetStep[] = [];
  for (const [set, spec] of sets) {
    let existing: Subvolume[];
    try {
      existing = await listSnapshots(run, spec.btrfs);
    } catch (e) {
      out.push({ set, spec, plan: planSet({ set, spec, existing: [], now }), error: (e as Error).message });
      continue;
    }
    const step: SetStep = { set, spec, plan: planSet({ set, spec, existing, now }) };
    if (spec.replicate) {
      try {
        const copies = await peerCopies(host, spec);
        const there = new Set(copies.map((s) => s.receivedUuid));
        const unsent = existing.filter((s) => !there.has(s.uuid) && !step.plan.prune.includes(s));
        step.unsent = unsent.map((s) => s.name);
        const arriving = [...unsent.map((s) => s.time), ...(step.plan.take ? [timeOfSlot(step.plan.take)] : [])];
        const kept = keep(spec.replicate.keep ?? spec.keep, [...copies.map((s) => s.time), ...arriving]);
        step.peerDrop = copies.filter((_, i) => !kept.has(i)).map((s) => s.name);
      } catch (e) {
        step.peerError = (e as Error).message;
      }
    }
    out.push(step);
  }
  return out;
}

/** True when carrying the steps out would take, delete or send anything. */
export const stepsPending = (steps: readonly SetStep[]): boolean =>
  steps.some((s) => !s.error && (s.plan.take !== undefined || s.plan.prune.length > 0 || (s.unsent?.length ?? 0) > 0 || (s.peerDrop?.length ?? 0) > 0));

export function stepsText(steps: readonly SetStep[]): string {
  if (steps.length === 0) return '';
  const parts = steps.map((s) => {
    if (s.error) return `snapshot set ${s.set} (${s.spec.btrfs}):\n  ! cannot list its snapshots: ${s.error}\n`;
    let t = setPlanText(s.plan, s.spec);
    if (s.spec.replicate) {
      const to = `${s.spec.replicate.to}:${s.spec.replicate.path}`;
      if (s.peerError) t += `  ! peer ${to} unreachable: ${s.peerError}\n`;
      else {
        const send = [...(s.plan.take ? [s.plan.take] : []), ...(s.unsent ?? [])];
        t += send.length ? `  > send ${send.join(', ')} to ${to} (incremental where the peer has a parent)\n` : `  = ${to} holds every snapshot\n`;
        for (const d of s.peerDrop ?? []) t += `  - ${d} on ${to}  (the peer's retention keeps it no longer)\n`;
      }
    }
    return t;
  });
  return `\nSnapshot sets (storage.snapshots):\n${parts.join('')}`;
}

export interface StepResult {
  set: string;
  lines: string[];
  /** what failed, when something did (the set's later steps were not run). */
  error?: string;
}

/**
 * Carries the steps out in the order `snapshot run` uses: take (with the freeze/thaw hooks),
 * send what the peer lacks, delete what retention drops here, then on the peer. Deletions are
 * of snapshots named by the set's schedule only; the caller has had them approved.
 */
export async function runSteps(host: Host, steps: readonly SetStep[]): Promise<StepResult[]> {
  const out: StepResult[] = [];
  for (const s of steps) {
    const lines: string[] = [];
    if (s.error) {
      out.push({ set: s.set, lines, error: s.error });
      continue;
    }
    try {
      const done = await runSetPlan(host, { ...s.plan, prune: [] }, s.spec);
      if (done.taken) lines.push(`took ${done.taken}`);
      if (s.spec.replicate) {
        const r = await replicate(host, { subvolume: s.spec.btrfs, to: transportFor(s.spec.replicate.to), path: s.spec.replicate.path });
        for (const x of r.cleaned) lines.push(`removed ${x} on the peer: a cut transfer had left it incomplete`);
        for (const x of r.sent) lines.push(`sent ${x.name}${x.parent ? ` (changes since ${x.parent})` : ' (in full)'}: ${x.bytes} bytes`);
        if (r.error) throw new Error(`${r.error.message}; the peer keeps ${r.newestOnPeer ?? 'nothing'} as its newest complete copy and the next run resumes from there`);
      }
      const pruned = await runSetPlan(host, { ...s.plan, take: undefined }, s.spec);
      if (pruned.pruned.length) lines.push(`deleted ${pruned.pruned.join(', ')}`);
      const run = peerRun(host, s.spec);
      if (run) {
        const drop = peerDrops(s.spec, await peerCopies(host, s.spec));
        for (const d of drop) await deleteSubvolume(run, d.path);
        if (drop.length) lines.push(`deleted on the peer: ${drop.map((d) => d.name).join(', ')}`);
      }
      out.push({ set: s.set, lines });
    } catch (e) {
      out.push({ set: s.set, lines, error: (e as Error).message });
    }
  }
  return out;
}

export const resultsText = (results: readonly StepResult[]): string =>
  results.map((r) => [...r.lines.map((l) => `snapshot set ${r.set}: ${l}`), ...(r.error ? [`snapshot set ${r.set} failed: ${r.error}`] : [])].join('\n')).filter(Boolean).join('\n') + (results.some((r) => r.lines.length || r.error) ? '\n' : '');
