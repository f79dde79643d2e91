/**
 * Signed changes: a commit is applied only when it carries an SSH signature that `git
 * verify-commit` accepts against the allowed signers. GPG signatures are not accepted (the keys a
 * fleet trusts are listed in one place, fleet.yaml and the appliance's bootstrap file).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

export type Verdict = { ok: true; principal: string } | { ok: false; reason: string };

const SSH_SIG = '-----BEGIN SSH SIGNATURE-----';

/** Verifies `commit` in the repository `gitdir` against allowed-signers lines. */
export async function verifyCommit(o: { gitdir: string; commit: string; signers: readonly string[] }): Promise<Verdict> {
  if (o.signers.length === 0) return { ok: false, reason: 'no allowed signers are configured, so no commit can be verified' };
  const raw = await execa('git', ['--git-dir', o.gitdir, 'cat-file', 'commit', o.commit], { reject: false });
  if (raw.exitCode !== 0) return { ok: false, reason: `commit ${o.commit.slice(0, 12)} cannot be read` };
  const sig = /^gpgsig (.*)$/m.exec(raw.stdout)?.[1];
  if (sig === undefined) return { ok: false, reason: `commit ${o.commit.slice(0, 12)} is not signed` };
  if (sig.trim() !== SSH_SIG) return { ok: false, reason: `commit ${o.commit.slice(0, 12)} carries a GPG signature; only SSH signatures are accepted` };
  const dir = await mkdtemp(join(tmpdir(), 'sanform-signers-'));
  try {
    const file = join(dir, 'allowed_signers');
    await writeFile(file, `${o.signers.join('\n')}\n`, { mode: 0o600 });
    const r = await execa('git', ['--git-dir', o.gitdir, '-c', `gpg.ssh.allowedSignersFile=${file}`, 'verify-commit', '--raw', o.commit], { reject: false });
    if (r.exitCode !== 0) {
      const why = /No principal matched|Could not verify|Signature verification failed|ERROR[^\n]*/.exec(r.stderr)?.[0] ?? `exit ${r.exitCode}`;
      return { ok: false, reason: `commit ${o.commit.slice(0, 12)} is not signed by an allowed key (${why})` };
    }
    const principal = /Good "git" signature for (\S+)/.exec(r.stderr)?.[1] ?? 'unknown';
    return { ok: true, principal };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
