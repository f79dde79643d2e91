import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { SecretSpec } from '../schema/model.js';
import type { SecretResolver } from './core/driver.js';
import { SanformError } from './core/errors.js';

/** The file or environment variable behind a secret could not be read. */
export class SecretUnavailableError extends SanformError<'SECRET_UNAVAILABLE', { secret: string; file?: string; env?: string }> {
  constructor(secret: string, where: { file?: string; env?: string }, cause?: unknown) {
    const what = where.file ? `file ${where.file}` : `environment variable ${where.env}`;
    super('SECRET_UNAVAILABLE', `secret '${secret}': cannot read ${what}`, {
      data: { secret, ...where },
      hint: where.file ? `create ${where.file} (mode 0600) holding the secret` : `export ${where.env}`,
      cause,
    });
  }
}

/** A secret name that `secrets:` does not declare. */
export class UnknownSecretError extends SanformError<'UNKNOWN_SECRET', { secret: string }> {
  constructor(secret: string) {
    super('UNKNOWN_SECRET', `secret '${secret}' is not declared under secrets:`, { data: { secret } });
  }
}

const FP_PREFIX = 'sanform-secret-v1\0';

/**
 * The fingerprint of a secret value: the first 16 hex digits of sha256 over a fixed prefix and the
 * value. Plans, snapshots and drivers that observe plaintext (iSCSI CHAP) compare fingerprints.
 */
export function fingerprint(value: string): string {
  return createHash('sha256').update(FP_PREFIX + value).digest('hex').slice(0, 16);
}

/** `{{secret:NAME}}`: the token ops carry in place of a value. */
export const secretToken = (name: string): string => `{{secret:${name}}}`;

/** Matches the `{{secret:NAME}}` tokens in a text (global: use with replace or matchAll). */
export const SECRET_TOKEN = /\{\{secret:([^}]+)\}\}/g;

/** The names of the secrets whose tokens a text holds, each once, in order of appearance. */
export const secretNames = (text: string): string[] => [...new Set([...text.matchAll(SECRET_TOKEN)].map((m) => m[1]!))];

/**
 * Reads a secret file from the machine a run acts on (`host.files`: an emulated machine keeps its
 * own under DIR/files), then from this machine's file system. For a local host both are the same file.
 */
export function hostSecretReader(host: { files: { read(path: string): Promise<string | undefined> } }): (path: string) => Promise<string> {
  return async (path) => {
    try {
      const own = await host.files.read(path);
      if (own !== undefined) return own;
    } catch {
      // unreadable there: the file system below says why
    }
    return readFile(path, 'utf8');
  };
}

export interface SecretSources {
  secrets?: Record<string, SecretSpec>;
  /** relative `file:` references are resolved against this directory. */
  configDir: string;
  env?: NodeJS.ProcessEnv;
  /** injectable for tests. */
  readText?: (path: string) => Promise<string>;
}

/**
 * Resolves `secrets:` references. Values are read only when asked for (at write time); the
 * fingerprint of a secret whose source cannot be read at plan time is `unavailable:<name>`, so a
 * plan still renders and apply reports the coded error.
 */
export function createSecretResolver(src: SecretSources): SecretResolver & { preload(): Promise<void>; unavailable(): Map<string, string> } {
  const env = src.env ?? process.env;
  const readText = src.readText ?? ((p: string) => readFile(p, 'utf8'));
  const cache = new Map<string, string>();
  /** secrets preload could not read: name -> why; and those a fingerprint was asked of. */
  const failed = new Map<string, string>();
  const used = new Set<string>();
  const spec = (name: string): SecretSpec => {
    const s = src.secrets?.[name];
    if (!s) throw new UnknownSecretError(name);
    return s;
  };
  const value = async (name: string): Promise<string> => {
    const hit = cache.get(name);
    if (hit !== undefined) return hit;
    const s = spec(name);
    let v: string | undefined;
    if ('file' in s) {
      const file = isAbsolute(s.file) ? s.file : resolve(src.configDir, s.file);
      try {
        v = (await readText(file)).replace(/\r?\n$/, '');
      } catch (e) {
        throw new SecretUnavailableError(name, { file }, e);
      }
    } else {
      v = env[s.env];
      if (v === undefined) throw new SecretUnavailableError(name, { env: s.env });
    }
    cache.set(name, v);
    return v;
  };
  return {
    value,
    fingerprint: (name) => {
      spec(name);
      used.add(name);
      const v = cache.get(name);
      return v === undefined ? `unavailable:${name}` : fingerprint(v);
    },
    /** reads every declared secret that can be read, so plan-time fingerprints are real. */
    preload: async () => {
      for (const name of Object.keys(src.secrets ?? {}).sort()) {
        await value(name).catch((e: Error) => failed.set(name, e.message));
      }
    },
    /** the secrets the objects planned so far use that preload could not read: name -> why. */
    unavailable: () => new Map([...failed].filter(([name]) => used.has(name))),
  };
}
