/**
 * Pull-based GitOps for one appliance of a fleet (`sanform watch --upstream URL`): fetch the
 * central repository, verify its main, wait for the earlier waves, and only then move the local
 * main to it, so the ordinary watch cycle applies it through the same guarded pipeline. Nothing
 * that was not verified ever becomes the local main. After the cycle, this node's records are
 * pushed back.
 */
import { readRecords } from '../state/history.js';
import type { RecordMeta } from '../state/record.js';
import { DESIRED_REF, openStore, tryResolve, updateRef, type Store } from '../state/store.js';
import { readBlobs, refTips } from './batch.js';
import { isFleetTree, readFleet } from './view.js';
import { revisionTree } from './trees.js';
import { waveGate, type AppliedTip, type Gate } from './gate.js';
import { trustedSigners } from './trust.js';
import { fetchUpstream, pushRecords, upstreamRecordRef } from './upstream.js';
import { verifyCommit } from './verify.js';

export type PullReport =
  /** the upstream could not be fetched: the last applied state stays. */
  | { status: 'unreachable'; reason: string; held?: string }
  /** nothing new upstream. */
  | { status: 'current'; main: string }
  /** the upstream's main does not verify: nothing from it is used. */
  | { status: 'refused'; main: string; reason: string; held?: string }
  /** verified, but an earlier wave has not applied it (or failed to). */
  | { status: 'held'; main: string; gate: Extract<Gate, { go: false }> }
  /** verified and let through: the local main now names it. */
  | { status: 'moved'; main: string; from?: string; principal: string; wave?: string };

/** The applied tips of every node as the upstream has them (two git processes for all). */
async function appliedTips(store: Store, nodes: Iterable<string>): Promise<Map<string, AppliedTip>> {
  const tips = await refTips(store.gitdir, 'refs/fleet/sanform');
  const wanted = [...nodes].map((n) => ({ n, c: tips.get(upstreamRecordRef(n, 'applied'))?.commit }));
  const blobs = await readBlobs(store.gitdir, wanted.flatMap(({ c }) => (c ? [`${c}:record.json`] : [])));
  const out = new Map<string, AppliedTip>();
  for (const { n, c } of wanted) {
    const text = c ? blobs.get(`${c}:record.json`) : undefined;
    if (text) {
      const meta = JSON.parse(text) as RecordMeta;
      out.set(n, { revision: meta.desiredRevision, ok: meta.ok });
    }
  }
  return out;
}

export async function pullUpstream(o: { repo: string; url: string; node: string }): Promise<PullReport> {
  const store = await openStore(o.repo);
  const held = await tryResolve(store, DESIRED_REF);
  const fetched = await fetchUpstream({ gitdir: store.gitdir, url: o.url });
  if (!fetched.ok) return { status: 'unreachable', reason: fetched.reason, held };
  const main = fetched.main;
  if (main === held) return { status: 'current', main };
  const verdict = await verifyCommit({ gitdir: store.gitdir, commit: main, signers: await trustedSigners(store, held) });
  if (!verdict.ok) return { status: 'refused', main, reason: verdict.reason, held };
  const tree = await revisionTree(store, main);
  let wave: string | undefined;
  if (isFleetTree(tree.paths)) {
    const f = await readFleet(tree);
    // an invalid fleet.yaml is let through: the cycle then reports it as an invalid revision
    if (f.fleet?.nodes.has(o.node)) {
      const gate = waveGate({ fleet: f.fleet, node: o.node, revision: main, applied: await appliedTips(store, f.fleet.nodes.keys()) });
      if (!gate.go) return { status: 'held', main, gate };
      wave = gate.wave;
    }
  }
  await updateRef(store, { ref: DESIRED_REF, value: main, expect: held });
  return { status: 'moved', main, from: held, principal: verdict.principal, wave };
}

/** Pushes this node's records when there are any. */
export async function pushBack(o: { repo: string; url: string; node: string }): Promise<{ ok: boolean; reason?: string }> {
  const store = await openStore(o.repo);
  const [any] = await readRecords(store, { node: o.node, limit: 1 });
  return any ? pushRecords({ gitdir: store.gitdir, url: o.url, node: o.node }) : { ok: true };
}
