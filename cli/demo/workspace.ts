/**
 * The demo's workspace: a copy of examples/iscsi-chap.yaml whose appliance paths (secret files,
 * the file-backed store) are moved under the workspace, plus a snapshot set of VM images, the secrets and the backing file it needs,
 * and an emulated machine directory. Everything lives in one directory the user can inspect.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import { readResource, sanformArgv } from '../self.js';
import { shellWord } from '../usage.js';

/** the example the demo starts from, by its path in the repository (carried inside the single executable). */
export const EXAMPLE = 'examples/iscsi-chap.yaml';

export interface DemoWorkspace {
  dir: string;
  config: string;
  machine: string;
  /** env for `{env}` secret references of the example. */
  env: Record<string, string>;
  /** how to run sanform from `dir` (`./sanform`): the launcher script `writeLauncher` made. */
  launcher: string;
  /** what the launcher runs: the sanform that runs the demo (its entry script or the single executable), absolute. */
  runs: string;
  /** the snapshot set's subvolume (absolute; the demo creates it on the machine's btrfs). */
  images: string;
}


/**
 * `DIR/sanform`: a shell script that runs this checkout's sanform with the demo's environment
 * (the example's `{env}` secrets and its secrets directory), so the steps can be repeated in the workspace as printed;
 * `npx sanform` would not do (sanform is not an installed package there).
 */
async function writeLauncher(dir: string, env: Record<string, string>): Promise<string> {
  const lines = [
    '#!/bin/sh',
    '# sanform of the checkout this demo ran from, with the secrets the demo set in its environment',
    ...Object.entries(env).map(([k, v]) => `export ${k}=${shellWord(v)}`),
    `exec ${sanformArgv().map(shellWord).join(' ')} "$@"`,
    '',
  ];
  const path = join(dir, 'sanform');
  await writeFile(path, lines.join('\n'), { mode: 0o700 });
  return path;
}

/** CHAP secrets must be at least 12 bytes (SCST §5.1); 16 printable characters. */
const newSecret = (): string => randomBytes(12).toString('base64url').slice(0, 16);

export async function prepareWorkspace(dir: string): Promise<DemoWorkspace> {
  const text = await readResource(EXAMPLE);
  const config = text
    .replace('$schema=../schema/', `$schema=${new URL('../../schema/', import.meta.url).pathname}`)
    .replaceAll('/etc/sanform/secrets/', `${dir}/secrets/`)
    .replaceAll('/srv/sanform/', `${dir}/srv/`);
  await mkdir(join(dir, 'secrets'), { recursive: true, mode: 0o700 });
  await mkdir(join(dir, 'srv'), { recursive: true });
  for (const name of ['chap-esx', 'chap-mutual']) {
    await writeFile(join(dir, 'secrets', name), `${newSecret()}\n`, { mode: 0o600 });
  }
  // the file-backed store: a sparse 1 GiB image, opened by the emulated vdisk_fileio like the kernel would
  const img = await open(join(dir, 'srv', 'backup.img'), 'w');
  await img.truncate(1 << 30);
  await img.close();
  // a snapshot set of VM images on the machine's emulated btrfs (the demo mounts srv/images and
  // creates the subvolume once the machine exists): taken once a day, the last 7 kept
  const sets = `\nstorage:\n  snapshots:\n    vm_images: { btrfs: ${dir}/srv/images/vm_images, every: 1d, keep: { last: 7 } }\n`;
  await writeFile(join(dir, 'sanform.yaml'), `${config.trimEnd()}\n${sets}`);
  // the demo's machine keeps its secret files in the workspace (SANFORM_SECRETS_DIR, as an appliance's /etc/sanform/secrets)
  const env = { SANFORM_CHAP_DISCOVERY: newSecret(), SANFORM_SECRETS_DIR: join(dir, 'secrets') };
  await writeLauncher(dir, env);
  return { dir, config: 'sanform.yaml', machine: 'machine', env, launcher: './sanform', runs: sanformArgv().map(shellWord).join(' '), images: join(dir, 'srv', 'images', 'vm_images') };
}
