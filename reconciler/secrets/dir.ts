/**
 * Where secret files may come from: one directory per machine, set by the administrator of that
 * machine (`SANFORM_SECRETS_DIR` in the environment sanform runs in, default
 * `/etc/sanform/secrets`), never by the pushed file. A reference outside it is refused, so push
 * access cannot turn `secrets:` into a way of reading root-readable files.
 */
import { isAbsolute, resolve } from 'node:path';

export const DEFAULT_SECRETS_DIR = '/etc/sanform/secrets';

/** The configured secrets directory (absolute). */
export function secretsDir(env: NodeJS.ProcessEnv = process.env): string {
  const d = env.SANFORM_SECRETS_DIR;
  return d && isAbsolute(d) ? resolve(d) : DEFAULT_SECRETS_DIR;
}

/** Environment variables a `{ env: NAME }` secret may name: this prefix only. */
export const SECRET_ENV_PREFIX = 'SANFORM_';

/** A secret file: at most this many bytes. CHAP secrets are 12 to 16 characters. */
export const SECRET_MAX_BYTES = 4096;

/** Whether `path` (absolute, normalised) lies inside `dir`. */
export const isInside = (path: string, dir: string): boolean => path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
