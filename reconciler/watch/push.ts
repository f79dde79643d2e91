import { setTimeout as sleep } from 'node:timers/promises';
import type { Diagnostic } from '../load/index.js';
import type { Plan } from '../core/change.js';
import { readDesired } from '../state/desired.js';
import { readRecords, type RecordEntry } from '../state/history.js';
import { DESIRED_REF, openStore, tryResolve } from '../state/store.js';
import { signingRequired, trustedSigners } from '../fleet/trust.js';
import { verifyCommit } from '../fleet/verify.js';
import type { GitopsEngine } from './types.js';

/** One line of a hook's stdin: `<old> <new> <ref>`. */
export interface RefUpdate {
  old: string;
  new: string;
  ref: string;
}

const ZERO = /^0{40}$/;

export function parseRefUpdates(stdin: string): RefUpdate[] {
  return stdin
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((p) => p.length === 3)
    .map(([o, n, ref]) => ({ old: o!, new: n!, ref: ref! }));
}

/** The verdict of the pre-receive check on one push. */
export type PushVerdict =
  | { accept: true; ref: string; revision?: string; plan?: Plan; warnings: Diagnostic[]; note?: string }
  | { accept: false; ref: string; reason: 'invalid'; revision: string; diagnostics: Diagnostic[] }
  | { accept: false; ref: string; reason: 'blocked'; revision: string; plan: Plan }
  | { accept: false; ref: string; reason: 'forbidden'; note: string }
  /** the repository demands signed commits (reconciler/fleet/trust.ts) and this one does not verify. */
  | { accept: false; ref: string; reason: 'unsigned'; revision: string; note: string };

/**
 * pre-receive: checks each pushed ref. Pushes to sanform's own refs and deletions of main are
 * refused; other branches pass unchecked (review branches for CI); a new main is loaded,
 * validated and planned against the live host: invalid files and changes that need an approval
 * they do not carry reject the whole push.
 */
export async function checkPush(p: { repo: string; quarantine?: string; engine: GitopsEngine; node: string; updates: RefUpdate[] }): Promise<PushVerdict[]> {
  const store = await openStore(p.repo, { quarantine: p.quarantine });
  // keys come from what the repository holds before the push, never from the pushed commit
  const held = await tryResolve(store, DESIRED_REF);
  const out: PushVerdict[] = [];
  for (const u of p.updates) {
    if (u.ref.startsWith('refs/sanform/')) {
      out.push({ accept: false, ref: u.ref, reason: 'forbidden', note: `${u.ref} is written by sanform only` });
    } else if (u.ref !== DESIRED_REF) {
      out.push({ accept: true, ref: u.ref, warnings: [], note: 'not main: accepted without checks (only main is applied)' });
    } else if (ZERO.test(u.new)) {
      out.push({ accept: false, ref: u.ref, reason: 'forbidden', note: 'main holds the desired state and cannot be deleted' });
    } else {
      const unsigned = (await signingRequired(store, held)) ? await verifyCommit({ gitdir: store.gitdir, commit: u.new, signers: await trustedSigners(store, held) }) : undefined;
      if (unsigned && !unsigned.ok) {
        out.push({ accept: false, ref: u.ref, reason: 'unsigned', revision: u.new, note: `${unsigned.reason}; this repository applies only commits signed by an allowed key` });
        continue;
      }
      const desired = await readDesired(store, u.new, p.node);
      const r = await p.engine.plan({ files: desired.files, revision: desired.revision, diagnostics: desired.diagnostics });
      if (!r.ok) out.push({ accept: false, ref: u.ref, reason: 'invalid', revision: u.new, diagnostics: r.diagnostics });
      else if (r.plan.blocked.length > 0) out.push({ accept: false, ref: u.ref, reason: 'blocked', revision: u.new, plan: r.plan });
      else out.push({ accept: true, ref: u.ref, revision: u.new, plan: r.plan, warnings: (r.diagnostics ?? []).filter((d) => d.severity === 'warning') });
    }
  }
  return out;
}

/**
 * post-receive with a watch daemon running: waits until the daemon recorded an apply of
 * `revision` (or `timeoutMs` passed) and returns that record.
 */
export async function awaitRecord(p: { repo: string; node: string; revision: string; timeoutMs: number; pollMs?: number }): Promise<RecordEntry | undefined> {
  const until = Date.now() + p.timeoutMs;
  for (;;) {
    const store = await openStore(p.repo);
    const entries = await readRecords(store, { node: p.node, limit: 5, refs: ['applied'] });
    const hit = entries.find((e) => e.meta.desiredRevision === p.revision);
    if (hit || Date.now() > until) return hit;
    await sleep(p.pollMs ?? 200);
  }
}
