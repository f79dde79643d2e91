/**
 * Fingerprints of secret values: HMAC-SHA256 under a key that belongs to one appliance and never
 * leaves it (`<stateDir>/fingerprint.key`, 32 random bytes, mode 0600, made on first use). Two
 * fingerprints taken on the same machine compare equal exactly when the values do; one read
 * from a plan, a PR comment or the state repository cannot be checked against a dictionary
 * anywhere else.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Value -> fingerprint, bound to one key. */
export type Fingerprinter = (value: string) => string;

export const FINGERPRINT_KEY_FILE = 'fingerprint.key';
const KEY_BYTES = 32;
/** `hmac:` then 32 hex digits (128 bits of the HMAC). */
export const FINGERPRINT_FORM = /^hmac:[0-9a-f]{32}$/;

export const fingerprinter = (key: Buffer): Fingerprinter => (value) =>
  `hmac:${createHmac('sha256', key).update(value, 'utf8').digest('hex').slice(0, 32)}`;

/** The appliance's key in `stateDir`, created (exclusively, 0600) when missing. */
export function fingerprintKey(stateDir: string): Buffer {
  const file = join(stateDir, FINGERPRINT_KEY_FILE);
  const read = (): Buffer | undefined => {
    try {
      const k = readFileSync(file);
      return k.length === KEY_BYTES ? k : undefined;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  };
  const have = read();
  if (have) return have;
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  // written whole under a private name, then linked in: a reader never sees a partial key
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, randomBytes(KEY_BYTES), { mode: 0o600 });
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another process made it first
  } finally {
    unlinkSync(tmp);
  }
  const made = read();
  if (!made) throw new Error(`${file} is not a ${KEY_BYTES}-byte key; remove it to have a new one made`);
  return made;
}

/** The fingerprinter of the machine whose state lives in `stateDir`. */
export const hostFingerprinter = (stateDir: string): Fingerprinter => fingerprinter(fingerprintKey(stateDir));
