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
import { planSet, type SetPlan } from './plan.js';
import type { SnapshotSetStep } from '../../reconciler/core/change.js';
import { renderSnapshotSets, snapshotStepsPending } from '../../reconciler/render/snapshots.js';
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
  /** what replication sends, in order (oldest first); undefined without replicate: or when the peer is unreachable. */
  unsent?: string[];
  /** the newest snapshot both sides hold: the first send's parent (none: the first is sent in full). */
  sendFrom?: string;
  /** the peer's copies its keep: drops once the unsent ones arrived. */
  peerDrop?: string[];
  /** why the peer could not be listed. */
  peerError?: string;
  /** why this side could not be listed (nothing is done for the set). */
  error?: string;
  /**
   * when set (apply of a saved plan): the only snapshots, here and on the peer, that may be
   * deleted: those the saved plan showed. Taking and sending are never limited.
   */
  mayDelete?: { here: ReadonlySet<string>; peer: ReadonlySet<string> };
}

/**
 * What replication will send, in order, mirroring `replicate`: every local snapshot newer than
 * the newest one the peer holds, or only the newest when the peer holds none.
 */
function toSend(local: readonly { name: string; time: Date; uuid?: string }[], received: ReadonlySet<string | undefined>): { send: string[]; from?: string } {
  const oldestFirst = [...local].sort((a, b) => a.time.getTime() - b.time.getTime());
  const common = [...oldestFirst].reverse().find((s) => s.uuid !== undefined && received.has(s.uuid));
  const todo = common ? oldestFirst.filter((s) => s.time.getTime() > common.time.getTime()) : oldestFirst.slice(-1);
  return { send: todo.map((s) => s.name), ...(common ? { from: common.name } : {}) };
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
        const local = [...existing, ...(step.plan.take ? [{ name: step.plan.take, time: timeOfSlot(step.plan.take) }] : [])];
        const { send, from } = toSend(local, there);
        step.unsent = send;
        if (from) step.sendFrom = from;
        const arriving = step.unsent.map(timeOfSlot);
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

/** The steps as a plan carries them (`plan.snapshotSets`): names only, with each set's spec. */
export function planSteps(steps: readonly SetStep[]): SnapshotSetStep[] {
  return steps.map((s) => ({
    set: s.set,
    spec: s.spec,
    consistency: s.plan.consistency,
    ...(s.plan.take ? { take: s.plan.take } : {}),
    prune: s.plan.prune.map((p) => p.name),
    kept: s.plan.kept.length,
    ...(s.plan.kept[0] ? { newest: s.plan.kept[0].name } : {}),
    ...(s.spec.replicate
      ? { replicate: { to: s.spec.replicate.to, path: s.spec.replicate.path, send: s.unsent ?? [], ...(s.sendFrom ? { from: s.sendFrom } : {}), drop: s.peerDrop ?? [], ...(s.peerError ? { unreachable: s.peerError } : {}) } }
      : {}),
    ...(s.error ? { error: s.error } : {}),
  }));
}

/**
 * A saved plan's steps planned again now (apply PLANFILE): what is due and unsent now is taken
 * and sent, but only the deletions the saved plan showed are made.
 */
export async function replanSaved(host: Host, saved: readonly SnapshotSetStep[], now: Date): Promise<SetStep[]> {
  const steps = await planSets(host, saved.map((s) => [s.set, s.spec]), now);
  return steps.map((s, i) => {
    const was = saved[i]!;
    const here = new Set(was.prune);
    const peer = new Set(was.replicate?.drop ?? []);
    return { ...s, plan: { ...s.plan, prune: s.plan.prune.filter((p) => here.has(p.name)) }, ...(s.peerDrop ? { peerDrop: s.peerDrop.filter((d) => peer.has(d)) } : {}), mayDelete: { here, peer } };
  });
}

/** True when carrying the steps out would take, delete or send anything. */
export const stepsPending = (steps: readonly SetStep[]): boolean => snapshotStepsPending(planSteps(steps));

/** The steps as the text plan shows them. */
export const stepsText = (steps: readonly SetStep[]): string => renderSnapshotSets({ snapshotSets: planSteps(steps) });

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
      const pruned = await runSetPlan(host, { ...s.plan, take: undefined, prune: s.plan.prune.filter((p) => !s.mayDelete || s.mayDelete.here.has(p.name)) }, s.spec);
      if (pruned.pruned.length) lines.push(`deleted ${pruned.pruned.join(', ')}`);
      const run = peerRun(host, s.spec);
      if (run) {
        const drop = peerDrops(s.spec, await peerCopies(host, s.spec)).filter((d) => !s.mayDelete || s.mayDelete.peer.has(d.name));
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
