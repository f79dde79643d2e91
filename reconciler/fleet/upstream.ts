/**
 * The central repository as seen from one appliance, through the git CLI (isomorphic-git cannot
 * fetch over ssh or plain paths): fetch its main and every node's records into `refs/fleet/`,
 * and push this node's records back.
 */
import { execa } from 'execa';

export const UPSTREAM_MAIN = 'refs/fleet/main';
export const upstreamRecordRef = (node: string, kind: 'applied' | 'observed'): string => `refs/fleet/sanform/${node}/${kind}`;

export type Fetched = { ok: true; main: string } | { ok: false; reason: string };

const firstLine = (s: string): string => s.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';

/** Fetches the upstream's main and records; the local main is not touched. */
export async function fetchUpstream(o: { gitdir: string; url: string; timeoutMs?: number }): Promise<Fetched> {
  const r = await execa('git', ['--git-dir', o.gitdir, 'fetch', '--quiet', '--no-tags', '--prune', '--', o.url, `+refs/heads/main:${UPSTREAM_MAIN}`, '+refs/sanform/*:refs/fleet/sanform/*'], {
    reject: false, timeout: o.timeoutMs ?? 120_000, env: { GIT_TERMINAL_PROMPT: '0' },
  });
  if (r.exitCode !== 0) return { ok: false, reason: firstLine(r.stderr) || `git fetch exited ${r.exitCode}` };
  const head = await execa('git', ['--git-dir', o.gitdir, 'rev-parse', '--verify', `${UPSTREAM_MAIN}^{commit}`], { reject: false });
  return head.exitCode === 0 ? { ok: true, main: head.stdout.trim() } : { ok: false, reason: 'the upstream has no main branch' };
}

/** Pushes `refs/sanform/<node>/*` to the upstream (records only grow: never forced). */
export async function pushRecords(o: { gitdir: string; url: string; node: string; timeoutMs?: number }): Promise<{ ok: boolean; reason?: string }> {
  const r = await execa('git', ['--git-dir', o.gitdir, 'push', '--quiet', '--', o.url, `refs/sanform/${o.node}/*:refs/sanform/${o.node}/*`], {
    reject: false, timeout: o.timeoutMs ?? 120_000, env: { GIT_TERMINAL_PROMPT: '0' },
  });
  return r.exitCode === 0 ? { ok: true } : { ok: false, reason: firstLine(r.stderr) || `git push exited ${r.exitCode}` };
}
