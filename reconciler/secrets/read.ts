/**
 * Reading one secret's value, defensively: a file only from the secrets directory (symlinks
 * resolved first), only a regular file, at most SECRET_MAX_BYTES; a variable only with the
 * SANFORM_ prefix. The value must be UTF-8 text on one line. Every refusal names the secret and
 * the rule, never the value.
 */
import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { SecretSpec } from '../../schema/model.js';
import { DEFAULT_SECRETS_DIR, SECRET_ENV_PREFIX, SECRET_MAX_BYTES, isInside } from './dir.js';
import { SecretRejectedError, SecretUnavailableError } from './errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** No lone UTF-16 surrogate (what invalid UTF-8 or a `\uD800` escape leaves). */
export const wellFormed = (s: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

/** Why a value cannot be a secret (or undefined when it can). */
export function valueProblem(v: string): string | undefined {
  if (v.length === 0) return 'the value is empty';
  if (/[\u0000-\u001f\u007f]/.test(v)) return 'the value holds a control character (NUL, newline, tab...), which the kernel cannot store';
  if (!wellFormed(v)) return 'the value is not valid Unicode text';
  return undefined;
}

/** Reads a file as the machine a run acts on sees it; undefined when it has no copy of its own. */
export type MachineFile = (path: string) => Promise<string | undefined>;

export async function readSecretFile(name: string, ref: string, dir: string, machineFile?: MachineFile): Promise<string> {
  const file = isAbsolute(ref) ? resolve(ref) : resolve(dir, ref);
  const reject = (rule: string, hint: string): SecretRejectedError => new SecretRejectedError(name, { file, rule, hint });
  let real: string;
  const realDir = await realpath(dir).catch(() => dir);
  const outside = (): SecretRejectedError =>
    reject(`not inside the secrets directory ${dir}`, `move the file into ${dir} (the machine's SANFORM_SECRETS_DIR) and reference it there`);
  // an emulated machine keeps its own files; its secrets directory is the default one (it has no
  // environment of its own), or this machine's when the file names that
  const own = machineFile && (isInside(file, DEFAULT_SECRETS_DIR) || isInside(file, dir)) ? await machineFile(file).catch(() => undefined) : undefined;
  if (own === undefined && !isInside(file, dir) && !isInside(file, realDir)) throw outside();
  if (own !== undefined) {
    if (Buffer.byteLength(own) > SECRET_MAX_BYTES) throw reject(`larger than ${SECRET_MAX_BYTES} bytes`, 'a secret file holds one value on one line');
    const value = own.replace(/\r?\n$/, '');
    const why = valueProblem(value) ?? (value.includes('\uFFFD') ? 'not valid UTF-8' : undefined);
    if (why) throw reject(why, 'write the secret on one line, without control characters');
    return value;
  }
  try {
    real = await realpath(file);
  } catch (e) {
    throw new SecretUnavailableError(name, { file }, e);
  }
  if (!isInside(real, realDir)) throw reject(`resolves outside the secrets directory ${dir}`, `keep the secret file itself in ${dir}, not a link to elsewhere`);
  let fh;
  try {
    // O_NONBLOCK: a FIFO or device must not hang the open; it is refused just below
    fh = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    throw new SecretUnavailableError(name, { file }, e);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw reject('not a regular file', 'a secret is a small regular file holding the value');
    if (st.size > SECRET_MAX_BYTES) throw reject(`larger than ${SECRET_MAX_BYTES} bytes`, 'a secret file holds one value on one line');
    const buf = Buffer.alloc(SECRET_MAX_BYTES + 1);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    if (bytesRead > SECRET_MAX_BYTES) throw reject(`larger than ${SECRET_MAX_BYTES} bytes`, 'a secret file holds one value on one line');
    let text: string;
    try {
      text = utf8.decode(buf.subarray(0, bytesRead));
    } catch {
      throw reject('not valid UTF-8', 'write the secret as UTF-8 text');
    }
    const value = text.replace(/\r?\n$/, '');
    const why = valueProblem(value);
    if (why) throw reject(why, 'write the secret on one line, without control characters');
    return value;
  } finally {
    await fh.close();
  }
}

export function readSecretEnv(name: string, variable: string, env: NodeJS.ProcessEnv): string {
  if (!variable.startsWith(SECRET_ENV_PREFIX)) {
    throw new SecretRejectedError(name, { env: variable, rule: `only variables named ${SECRET_ENV_PREFIX}* may hold secrets`, hint: `rename the variable to ${SECRET_ENV_PREFIX}${variable} on the machine` });
  }
  const v = env[variable];
  if (v === undefined) throw new SecretUnavailableError(name, { env: variable });
  if (Buffer.byteLength(v) > SECRET_MAX_BYTES) throw new SecretRejectedError(name, { env: variable, rule: `longer than ${SECRET_MAX_BYTES} bytes`, hint: 'a secret is one short value' });
  const why = valueProblem(v);
  if (why) throw new SecretRejectedError(name, { env: variable, rule: why, hint: 'set the variable to the value on one line' });
  return v;
}

/** The value of a secret reference. */
export const readSecret = (name: string, spec: SecretSpec, o: { dir: string; env: NodeJS.ProcessEnv; machineFile?: MachineFile }): Promise<string> =>
  'file' in spec ? readSecretFile(name, spec.file, o.dir, o.machineFile) : Promise.resolve().then(() => readSecretEnv(name, spec.env, o.env));
