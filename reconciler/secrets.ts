/**
 * Secret references -> values at write time, and fingerprints for plans and snapshots. Values
 * travel as SealedSecret (prints as `<secret NAME>`); ops carry `{{secret:NAME}}` tokens.
 * The parts live in `secrets/`: the sealed type, the secrets directory, the defensive reader and
 * the per-appliance HMAC fingerprints.
 */
import { randomBytes } from 'node:crypto';
import type { SecretSpec } from '../schema/model.js';
import type { SecretResolver } from './core/driver.js';
import { secretsDir } from './secrets/dir.js';
import { UnknownSecretError } from './secrets/errors.js';
import { fingerprinter, type Fingerprinter } from './secrets/fingerprint.js';
import { readSecret, type MachineFile } from './secrets/read.js';
import { SealedSecret } from './secrets/sealed.js';

export { SealedSecret } from './secrets/sealed.js';
export { SecretRejectedError, SecretUnavailableError, UnknownSecretError } from './secrets/errors.js';
export { DEFAULT_SECRETS_DIR, SECRET_ENV_PREFIX, SECRET_MAX_BYTES, secretsDir } from './secrets/dir.js';
export { FINGERPRINT_FORM, FINGERPRINT_KEY_FILE, fingerprintKey, fingerprinter, hostFingerprinter, type Fingerprinter } from './secrets/fingerprint.js';
export { valueProblem } from './secrets/read.js';

let processKey: Fingerprinter | undefined;
/**
 * A fingerprinter keyed for this process only (a random key, made on first use): for pure code
 * and tests that compare fingerprints within one run and have no machine. Nothing it makes is
 * comparable across processes, so nothing it makes is worth attacking either.
 */
export const fingerprint: Fingerprinter = (value) => (processKey ??= fingerprinter(randomBytes(32)))(value);

/** `{{secret:NAME}}`: the token ops carry in place of a value. */
export const secretToken = (name: string): string => `{{secret:${name}}}`;

/** Matches the `{{secret:NAME}}` tokens in a text (global: use with replace or matchAll). */
export const SECRET_TOKEN = /\{\{secret:([^}]+)\}\}/g;

/** The names of the secrets whose tokens a text holds, each once, in order of appearance. */
export const secretNames = (text: string): string[] => [...new Set([...text.matchAll(SECRET_TOKEN)].map((m) => m[1]!))];

/**
 * The secret files of an emulated machine (`sim:DIR` keeps its own under DIR/files, where
 * `sim init --files-for` puts an example's): read there first. A local host's files are this
 * machine's, read by the defensive reader itself, so it gets none.
 */
export function hostSecretFiles(host: { id: string; files: { read(path: string): Promise<string | undefined> } }): MachineFile | undefined {
  return host.id === 'local' || host.id.startsWith('local:') ? undefined : (path) => host.files.read(path);
}

/** A fingerprint that stands for a secret this run could not read or compare (offline, or no key). */
export const unavailableFingerprint = (name: string): string => `unavailable:${name}`;

export interface SecretSources {
  secrets?: Record<string, SecretSpec>;
  /** environment for `{env}` secrets and SANFORM_SECRETS_DIR; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** the machine's secrets directory; default `secretsDir(env)`. */
  dir?: string;
  /**
   * the machine's fingerprinter (hostFingerprinter(host.stateDir)); without one, as when
   * planning offline, every fingerprint is `unavailable:NAME`.
   */
  fingerprint?: Fingerprinter;
  /** the machine's own copy of a secret file, when it keeps one apart from this file system (hostSecretFiles). */
  machineFile?: MachineFile;
}

/**
 * Resolves `secrets:` references. Values are read only when asked for and handed out sealed; the
 * fingerprint of a secret whose source cannot be read (or with no machine key) is
 * `unavailable:<name>`, so a plan still renders and apply reports the coded error.
 */
export function createSecretResolver(src: SecretSources): SecretResolver & { preload(): Promise<void>; unavailable(): Map<string, string> } {
  const env = src.env ?? process.env;
  const dir = src.dir ?? secretsDir(env);
  const cache = new Map<string, SealedSecret>();
  /** secrets preload could not read: name -> why (never the value); and those a fingerprint was asked of. */
  const failed = new Map<string, string>();
  const used = new Set<string>();
  const spec = (name: string): SecretSpec => {
    const s = src.secrets?.[name];
    if (!s) throw new UnknownSecretError(name);
    return s;
  };
  const value = async (name: string): Promise<SealedSecret> => {
    const hit = cache.get(name);
    if (hit !== undefined) return hit;
    const sealed = new SealedSecret(name, await readSecret(name, spec(name), { dir, env, machineFile: src.machineFile }));
    cache.set(name, sealed);
    return sealed;
  };
  return {
    value,
    fingerprint: (name) => {
      spec(name);
      used.add(name);
      const v = cache.get(name);
      return v === undefined || !src.fingerprint ? unavailableFingerprint(name) : src.fingerprint(v.reveal());
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
