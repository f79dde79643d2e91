/**
 * Keeping a pair's two state repositories in step with the git CLI (DESIGN §7: pushes travel
 * through the git CLI): a commit pushed to one node is forwarded to the peer's bare repository
 * (`nodes.NAME.repo`, as git addresses it: a path, `ssh://HOST/PATH` or `HOST:PATH`) before
 * either node is touched. The forwarding push carries the push option `sanform-forwarded=NODE`:
 * the peer's post-receive hook then leaves the apply to the rollout that forwarded it.
 */
import { execa } from 'execa';
import { SanformError } from '../core/errors.js';

export const FORWARD_OPTION = 'sanform-forwarded';

/** The peer's repository could not be read or would not take the commit. */
export class ForwardError extends SanformError<'PAIR_REPO_BEHIND', { node: string; peerMain?: string; revision: string }> {}

/** Environment for a git child of a hook: without the pushed-to repository's own variables. */
function gitEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!k.startsWith('GIT_') || k === 'GIT_SSH_COMMAND' || k === 'GIT_SSH') out[k] = v;
  return { ...out, GIT_TERMINAL_PROMPT: '0' };
}

const lastLines = (s: string): string => s.trim().split('\n').filter((l) => l.trim()).slice(-3).join(' / ');

/** The commit `main` points at in the repository at `url`, or undefined when it has none. */
export async function peerMain(o: { url: string; node: string; revision: string; env?: NodeJS.ProcessEnv }): Promise<string | undefined> {
  const r = await execa('git', ['ls-remote', '--', o.url, 'refs/heads/main'], { reject: false, env: gitEnv(o.env ?? process.env), extendEnv: false, timeout: 60_000 });
  if (r.exitCode !== 0) {
    throw new ForwardError('PAIR_REPO_BEHIND', `${o.node}'s state repository ${o.url} cannot be read: ${lastLines(String(r.stderr))}`, {
      data: { node: o.node, revision: o.revision }, hint: `check nodes.${o.node}.repo and that this node can reach it (git ls-remote ${o.url})`,
    });
  }
  return String(r.stdout).match(/^([0-9a-f]{40})\trefs\/heads\/main$/m)?.[1];
}

/**
 * Pushes `revision` (a commit of the repository at `gitdir`) to main of the peer's repository.
 * Returns the peer's main before the push (undefined: it had none). A peer whose main is not an
 * ancestor of the revision (diverged, or initialized on its own) refuses: PAIR_REPO_BEHIND says so.
 */
export async function forwardRevision(o: { gitdir: string; url: string; node: string; from: string; revision: string; env?: NodeJS.ProcessEnv }): Promise<{ before?: string }> {
  const before = await peerMain(o);
  if (before === o.revision) return { before };
  const r = await execa('git', ['--git-dir', o.gitdir, 'push', '--porcelain', '-o', `${FORWARD_OPTION}=${o.from}`, '--', o.url, `${o.revision}:refs/heads/main`], {
    reject: false, env: gitEnv(o.env ?? process.env), extendEnv: false, timeout: 300_000,
  });
  if (r.exitCode !== 0) {
    const out = `${String(r.stdout)}\n${String(r.stderr)}`;
    const why = /non-fast-forward|rejected|fetch first/.test(out)
      ? `its main (${before?.slice(0, 12) ?? 'none'}) is not an ancestor of ${o.revision.slice(0, 12)}`
      : lastLines(out);
    throw new ForwardError('PAIR_REPO_BEHIND', `${o.node}'s state repository is behind (main at ${before?.slice(0, 12) ?? 'none'}, here ${o.revision.slice(0, 12)}) and did not take the push: ${why}`, {
      data: { node: o.node, revision: o.revision, ...(before ? { peerMain: before } : {}) },
      hint: /advertise|push options/.test(out)
        ? `the peer's repository must accept push options: git --git-dir PEER_REPO config receive.advertisePushOptions true (sanform init sets it)`
        : `start the peer's repository from this one (sanform init --repo PATH --from URL) or bring its main to an ancestor of ${o.revision.slice(0, 12)}`,
    });
  }
  return { before };
}

/** The forwarding node named by a push's options (GIT_PUSH_OPTION_N in a hook), or undefined. */
export function forwardedBy(env: NodeJS.ProcessEnv): string | undefined {
  const n = Number(env.GIT_PUSH_OPTION_COUNT ?? 0);
  for (let i = 0; i < n; i++) {
    const v = env[`GIT_PUSH_OPTION_${i}`] ?? '';
    if (v.startsWith(`${FORWARD_OPTION}=`)) return v.slice(FORWARD_OPTION.length + 1);
  }
  return undefined;
}
