/**
 * Planning offline (CI: `plan --observed git:NODE` on a runner with no secrets and no machine
 * key): a secret's fingerprint cannot be computed, so every CHAP user would show
 * `hmac:... -> "unavailable:NAME"` and a PR that changes nothing would exit 2. Instead, where
 * the object is live and its desired form differs only by what could not be compared, the live
 * fingerprint is taken: the secret is assumed unchanged, and the run says so once. An object
 * that is new, or whose other fields change, still shows as a change.
 */
import type { Resource, Snapshot } from '../core/resource.js';

const UNAVAILABLE = 'unavailable:';

/** `desired` with each uncomparable secret fingerprint replaced by the live one; the names taken. */
export function assumeSecretsUnchanged(desired: Snapshot, observed: Snapshot): { desired: Snapshot; names: string[] } {
  const names = new Set<string>();
  let resources: Map<string, Resource> | undefined;
  for (const [address, r] of desired.resources) {
    const live = observed.resources.get(address);
    if (!live || live.kind !== r.kind) continue;
    let spec: Record<string, unknown> | undefined;
    for (const [field, v] of Object.entries(r.spec)) {
      if (typeof v !== 'string' || !v.startsWith(UNAVAILABLE)) continue;
      const had = (live.spec as Record<string, unknown>)[field];
      if (typeof had !== 'string') continue;
      spec ??= { ...r.spec };
      spec[field] = had;
      names.add(v.slice(UNAVAILABLE.length));
    }
    if (spec) (resources ??= new Map(desired.resources)).set(address, { ...r, spec } as Resource);
  }
  return { desired: resources ? { ...desired, resources } : desired, names: [...names].sort() };
}
