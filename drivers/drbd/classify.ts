/**
 * Impact of a DRBD change: create-md over a disk holding data and a forced initial sync
 * direction are data-loss; taking a connected resource down or disconnecting it (as adjust would)
 * is io-disruptive for the pair; option changes adjust in place.
 */
import type { Change, Impact } from '../../reconciler/core/change.js';
import type { Snapshot } from '../../reconciler/core/resource.js';
import { resourceName } from './address.js';
import { factsOf } from './compare.js';
import type { DrbdResourceSpec } from './desired.js';
import type { DrbdStatus } from './status.js';

const DISRUPTIVE = /^drbdsetup (down|disconnect|del-peer|del-path|detach|del-minor)\b/;

export function connectedPeers(s: DrbdStatus | undefined): string[] {
  return (s?.connections ?? []).filter((c) => c.state === 'Connected').map((c) => c.peer);
}

export function forcesPrimary(c: Change): boolean {
  const facts = factsOf(c.after);
  const spec = c.after?.spec as unknown as DrbdResourceSpec | undefined;
  return c.action === 'create' && spec?.role === 'primary' && Object.values(facts.metadata ?? {}).some((has) => !has);
}

export function classify(c: Change, observed: Snapshot): Impact[] {
  const name = resourceName(c.address);
  const live = observed.resources.get(c.address)?.status as unknown as DrbdStatus | undefined;
  const peers = connectedPeers(live);
  const out: Impact[] = [];
  if (c.action === 'delete') {
    out.push({ class: 'io-disruptive', detail: `drbdadm down ${name}: the device goes away${peers.length ? `, replication to ${peers.join(', ')} stops` : ''}` });
    return out;
  }
  const facts = factsOf(c.after);
  for (const [vol, sig] of Object.entries(facts.signature ?? {})) {
    out.push({ class: 'data-loss', detail: `create-md on volume ${vol} of ${name} overwrites the end of a disk holding ${sig} data` });
  }
  if (forcesPrimary(c)) {
    out.push({ class: 'data-loss', detail: `primary --force: this node's data becomes the truth for ${name}; the peer's copy is overwritten by the initial sync` });
  }
  const cut = (facts.adjust ?? []).filter((l) => DISRUPTIVE.test(l));
  if (peers.length > 0 && cut.length > 0) {
    out.push({ class: 'io-disruptive', detail: `${name} is connected to ${peers.join(', ')}: ${cut.join('; ')}` });
  }
  if (out.length === 0) out.push({ class: 'benign', detail: c.action === 'create' ? `brings ${name} up` : `drbdadm adjust ${name} in place` });
  return out;
}
