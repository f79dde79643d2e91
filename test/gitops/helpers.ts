/**
 * Helpers of the GitOps end-to-end tests: an emulated machine in a temp dir, sanform and the real
 * git CLI run as child processes, exactly as an admin and the hooks would run them.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHardware, initSimDir } from '../../drivers/sim/index.js';
import { SANFORM_BIN } from '../bin.js';

/** the entry the tests start (and the hooks `sanform init` installs then start): test/bin.ts. */
export const SANFORM = SANFORM_BIN;

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together (git relays hook output on stderr as `remote: ...`). */
  all: string;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Admin', GIT_AUTHOR_EMAIL: 'admin@example.com', GIT_COMMITTER_NAME: 'Admin', GIT_COMMITTER_EMAIL: 'admin@example.com',
  GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0',
};

export function run(argv: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Run {
  const r = spawnSync(argv[0]!, argv.slice(1), {
    cwd: opts.cwd, input: opts.input, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, NO_COLOR: '1', ...opts.env }, timeout: 60_000,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, all: `${r.stdout}${r.stderr}` };
}

/** Like run, without blocking the event loop (for a watch daemon running in the test process). */
export function runAsync(argv: string[], opts: { cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { cwd: opts.cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, NO_COLOR: '1' }, timeout: 60_000 }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ status, stdout, stderr, all: `${stdout}${stderr}` });
    });
  });
}

export const sanform = (args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Run => run([process.execPath, SANFORM, ...args], opts);
export const git = (cwd: string, ...args: string[]): Run => run(['git', ...args], { cwd });

/** A temp world: an emulated machine, a state repo created by `sanform init`, and a clone. */
export interface World {
  dir: string;
  sim: string;
  repo: string;
  work: string;
  node: string;
  /** writes sanform.yaml in the clone, commits it and pushes to the appliance. */
  push(yaml: string, message: string): Run;
  /** the same, without blocking the event loop. */
  pushAsync(yaml: string, message: string): Promise<Run>;
  cleanup(): void;
}

export async function makeWorld(prefix: string, opts: { beforeInit?: (confDir: string) => void } = {}): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (opts.beforeInit) {
    mkdirSync(join(dir, 'conf'));
    opts.beforeInit(join(dir, 'conf'));
  }
  const sim = join(dir, 'sim');
  const repo = join(dir, 'conf', 'sanform.git');
  const work = join(dir, 'work');
  const node = 'esos-a';
  await initSimDir(sim, defaultHardware());
  const init = sanform(['init', '--repo', repo, '--host', `sim:${sim}`, '--node', node]);
  if (init.status !== 0) throw new Error(`sanform init failed: ${init.all}`);
  const clone = run(['git', 'clone', '-q', repo, work]);
  if (clone.status !== 0) throw new Error(`git clone failed: ${clone.all}`);
  return {
    dir, sim, repo, work, node,
    push(yaml, message) {
      writeFileSync(join(work, 'sanform.yaml'), yaml);
      const c = git(work, 'commit', '-q', '-am', message);
      if (c.status !== 0) throw new Error(`git commit failed: ${c.all}`);
      const p = git(work, 'push', 'origin', 'main');
      if (p.status !== 0) git(work, 'reset', '-q', '--hard', 'origin/main');
      return p;
    },
    async pushAsync(yaml, message) {
      writeFileSync(join(work, 'sanform.yaml'), yaml);
      const c = git(work, 'commit', '-q', '-am', message);
      if (c.status !== 0) throw new Error(`git commit failed: ${c.all}`);
      return runAsync(['git', 'push', 'origin', 'main'], { cwd: work });
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The desired states the tests push. */
export const YAML = {
  base: `version: 1
scst:
  devices:
    lun0: { handler: vdisk_nullio, dummy: true }
    vm1: { handler: vdisk_blockio, filename: /dev/sdb }
  targets:
    iscsi:
      iqn.2026-01.com.example:esos.vm:
        luns: { 0: lun0 }
        groups:
          esx:
            initiators: [iqn.1998-01.com.vmware:esx1]
            luns: { 0: vm1 }
policy:
  drift: { mode: warn, interval: 60s }
`,
};
