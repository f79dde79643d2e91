import { hostname as osHostname } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { flag, str } from '../engine-io.js';
import { repoPath, sanformArgv } from '../gitops-io.js';
import { openHost } from '../host.js';
import { installHooks } from '../../reconciler/state/hooks.js';
import { initRepo } from '../../reconciler/state/init.js';

export const initCommand = {
  name: 'init',
  summary: 'create the state repository (bare git repo with push hooks) on the boot medium',
  usage: `Usage: sanform init --repo PATH [--host SPEC] [--node NAME]

Creates a bare git repository at PATH with sanform's pre-receive and post-receive hooks and a first
commit on main holding a starter sanform.yaml. The host spec and node name are stored in the repo's
config; the hooks and 'sanform watch' use them. Then, on a workstation:
  git clone ssh://root@appliance/PATH && edit sanform.yaml && git push

Options:
  --repo PATH      where the repository goes (default: $SANFORM_REPO)
  --lock-file PATH flock PATH around every kernel write, as every other writer of the machine's
                   configuration does (ESOS: /var/lock/conf_sync); stored in the repo config
  --hooks-only     only (re)write the hooks of an existing repository (after moving sanform)

Exit codes: 0 created, 1 error (e.g. STATE_REPO_EXISTS).
`,
  options: { repo: { type: 'string' }, 'hooks-only': { type: 'boolean' }, 'lock-file': { type: 'string' } },
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
    const { gitdir, commit } = await initRepo({ repo, node: node!, host, sanform: sanformArgv(), lockFile: str(args, 'lock-file') });
    io.stdout.write(`Initialized the sanform state repository ${gitdir}\n  node ${node}, host ${host}, main at ${commit.slice(0, 12)}\n  clone it with: git clone ${gitdir}\n`);
    return 0;
  },
} satisfies Command;
