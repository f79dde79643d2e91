import { promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import git from 'isomorphic-git';
import { execa } from 'execa';
import { sanformIdentity } from './desired.js';
import { StateError } from './errors.js';
import { stateFs } from './fs.js';
import { installHooks } from './hooks.js';
import { DESIRED_REF, putCommit, putTree, updateRef, type Store } from './store.js';

/** A starter desired state: valid, manages nothing yet, drift warnings and log alerts on. */
export const STARTER_YAML = `# sanform desired state. Push changes to this repository's main branch;
# the appliance checks them before accepting the push and applies them after.
version: 1
policy:
  drift:
    mode: warn
    interval: 60s
alerts:
  - type: log
`;

export interface InitOptions {
  repo: string;
  node: string;
  /** host spec the hooks and watch use (`local`, `sim:DIR`). */
  host: string;
  /** a lock file every configuration writer flocks around kernel writes (ESOS: /var/lock/conf_sync). */
  lockFile?: string;
  /** argv that starts sanform, written into the hooks. */
  sanform: string[];
  /** a fleet's central repository that `watch` pulls from (reconciler/fleet). */
  upstream?: string;
  /** absolute path of the appliance's bootstrap allowed-signers file (kept outside git). */
  allowedSigners?: string;
  starter?: string;
  /** the other node's state repository (as git reaches it): main starts at its main, so the pair's two repositories share one history. */
  from?: string;
}

/** repo config keys sanform reads back (hooks have no command line of their own). */
export const CONFIG = { node: 'sanform.node', host: 'sanform.host', lockFile: 'sanform.lockFile', upstream: 'sanform.upstream', allowedSigners: 'sanform.allowedSigners' } as const;

/**
 * Creates the bare state repo: git config (node, host, durable writes for the git CLI too), the
 * two hooks, and a first commit on main with a starter sanform.yaml.
 */
export async function initRepo(o: InitOptions): Promise<{ gitdir: string; commit: string }> {
  const gitdir = resolve(o.repo);
  const exists = await fsp.stat(join(gitdir, 'HEAD')).then(() => true, () => false);
  if (exists) {
    throw new StateError('STATE_REPO_EXISTS', `${gitdir} is already a git repository`, {
      data: { repo: gitdir },
      hint: 'use it as is, or choose another --repo path',
    });
  }
  await fsp.mkdir(gitdir, { recursive: true });
  const fs = stateFs({ gitdir });
  await git.init({ fs, gitdir, bare: true, defaultBranch: 'main' });
  const settings: [string, string | boolean][] = [
    [CONFIG.node, o.node],
    [CONFIG.host, o.host],
    ['receive.denyDeletes', true],
    ['receive.denyNonFastForwards', true],
    ['core.fsync', 'committed'],
    ['core.fsyncMethod', 'fsync'],
    // the pair's post-receive forwards pushes with a push option (reconciler/pair/forward.ts)
    ['receive.advertisePushOptions', true],
  ];
  if (o.lockFile) settings.push([CONFIG.lockFile, o.lockFile]);
  if (o.upstream) settings.push([CONFIG.upstream, o.upstream]);
  if (o.allowedSigners) settings.push([CONFIG.allowedSigners, o.allowedSigners]);
  for (const [path, value] of settings) await git.setConfig({ fs, gitdir, path, value });
  await installHooks(gitdir, o.sanform);
  if (o.from) return { gitdir, commit: await fetchMain(gitdir, o.from) };
  const store: Store = { gitdir, fs, cache: {} };
  const tree = await putTree(store, { 'sanform.yaml': o.starter ?? STARTER_YAML });
  const who = { ...sanformIdentity(o.node), timestamp: Math.floor(Date.now() / 1000) };
  const commit = await putCommit(store, { tree, parents: [], who, message: 'Initial desired state (sanform init)\n' });
  await updateRef(store, { ref: DESIRED_REF, value: commit, expect: undefined });
  return { gitdir, commit };
}

/** Reads sanform's settings from the repo config. */
export async function repoSettings(store: Store): Promise<{ node?: string; host?: string; lockFile?: string; upstream?: string }> {
  const get = async (path: string) => (await git.getConfig({ fs: store.fs, gitdir: store.gitdir, path })) as string | undefined;
  const upstream = await get(CONFIG.upstream);
  return { node: await get(CONFIG.node), host: await get(CONFIG.host), lockFile: await get(CONFIG.lockFile), ...(upstream ? { upstream } : {}) };
}

/** Sets main to the main of the repository at `url`, fetched with the git CLI; its commit. */
async function fetchMain(gitdir: string, url: string): Promise<string> {
  const env: NodeJS.ProcessEnv = { GIT_TERMINAL_PROMPT: '0' };
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_') || k === 'GIT_SSH_COMMAND') env[k] = v;
  const r = await execa('git', ['--git-dir', gitdir, 'fetch', '--no-tags', '--', url, '+refs/heads/main:refs/heads/main'], { reject: false, env, extendEnv: false, timeout: 300_000 });
  if (r.exitCode !== 0) {
    throw new StateError('STATE_FETCH_FAILED', `cannot fetch main from ${url}: ${String(r.stderr).trim().split('\n').slice(-2).join(' / ')}`, {
      data: { repo: gitdir }, hint: 'check the other node\'s repository address (a path, ssh://HOST/PATH or HOST:PATH) and that it has a main',
    });
  }
  return (await execa('git', ['--git-dir', gitdir, 'rev-parse', 'refs/heads/main'], { env, extendEnv: false })).stdout.trim();
}
