/**
 * Fingerprint of a secret value, as shown in plans and stored in observed snapshots.
 * Local until the engine's reconciler/secrets.ts exists; must stay byte-identical to it.
 */
import { createHash } from 'node:crypto';

export const fingerprintValue = (value: string): string =>
  `sha256:${createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16)}`;
