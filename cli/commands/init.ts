import { readFile } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { flag, str } from '../engine-io.js';
import { repoPath } from '../gitops-io.js';
import { sanformArgv } from '../self.js';
import { openHost } from '../host.js';
import { installHooks } from '../../reconciler/state/hooks.js';
import { initRepo } from '../../reconciler/state/init.js';
import { SanformError } from '../../reconciler/core/errors.js';

/** The allowed-signers file, absolute, once it was read and every line is a key line. */
async function checkedSigners(path: string): Promise<string> {
  const text = await readFile(path, 'utf8').catch((e: Error) => {
    throw new SanformError('USAGE', `cannot read --allowed-signers ${path}: ${e.message}`, { hint: 'pass an ssh allowed-signers file: one `PRINCIPAL KEYTYPE KEY` line per key' });
  });
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length === 0) throw new SanformError('USAGE', `${path} lists no key`, { hint: 'one `PRINCIPAL KEYTYPE KEY` line per key, e.g. alice@example.com ssh-ed25519 AAAA...' });
  return path;
}

export const initCommand = {
  name: 'init',
  summary: 'create the state repository (bare git repo with push hooks) on the boot medium',
  usage: `Usage: sanform init --repo PATH [--host SPEC] [--node NAME] [--upstream URL] [--allowed-signers FILE] [--from URL]

Creates a bare git repository at PATH with sanform's pre-receive and post-receive hooks and a first
commit on main holding a starter sanform.yaml. The host spec and node name are stored in the repo's
config; the hooks and 'sanform watch' use them. Then, on a workstation:
  git clone ssh://root@appliance/PATH && edit sanform.yaml && git push

Options:
  --repo PATH      where the repository goes (default: $SANFORM_REPO)
  --lock-file PATH flock PATH around every kernel write, as every other writer of the machine's
                   configuration does (ESOS: /var/lock/conf_sync); stored in the repo config
  --hooks-only     only (re)write the hooks of an existing repository (after moving sanform)
  --upstream URL   a fleet's central repository (ssh or a path) that 'sanform watch' pulls this
                   node's view from, pushing its records back (docs/fleet.md)
  --allowed-signers FILE
                   the keys (ssh allowed-signers lines) whose signed commits this appliance
                   applies before any fleet.yaml it applied names more; with it, unsigned pushes
                   are refused too. The file stays where it is, outside git.
  --from URL       the other node of an HA pair's state repository (a path, ssh://HOST/PATH or
                   HOST:PATH): main starts at its main instead of a starter commit, so the two
                   repositories share one history and a push to either is forwarded to the
                   other (nodes.NAME.repo; docs/ha.md)

Exit codes: 0 created, 1 error (e.g. STATE_REPO_EXISTS).
`,
  options: { repo: { type: 'string' }, 'hooks-only': { type: 'boolean' }, 'lock-file': { type: 'string' }, upstream: { type: 'string' }, 'allowed-signers': { type: 'string' }, from: { type: 'string' } },
  async run(args, io) {
    const repo = repoPath(args, io);
    if (flag(args, 'hooks-only')) {
      const written = await installHooks(resolve(repo), sanformArgv());
      io.stdout.write(`Rewrote ${written.join(', ')}\n`);
      return 0;
    }
    const hostSpec = str(args, 'host') ?? 'local';
    let node = str(args, 'node');
    if (!node) {
      const h = await openHost(hostSpec, { cwd: io.cwd });
      node = await h.hostname().catch(() => osHostname());
      await h.close?.();
    }
    const host = hostSpec.startsWith('sim:') ? `sim:${resolve(io.cwd, hostSpec.slice(4))}` : hostSpec;
    const signers = str(args, 'allowed-signers');
    const allowedSigners = signers ? await checkedSigners(resolve(io.cwd, signers)) : undefined;
    const { gitdir, commit } = await initRepo({ repo, node: node!, host, sanform: sanformArgv(), lockFile: str(args, 'lock-file'), upstream: str(args, 'upstream'), allowedSigners, from: str(args, 'from') });
    io.stdout.write(`Initialized the sanform state repository ${gitdir}\n  node ${node}, host ${host}, main at ${commit.slice(0, 12)}\n  clone it with: git clone ${gitdir}\n`);
    return 0;
  },
} satisfies Command;
