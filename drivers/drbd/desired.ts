/**
 * Desired DRBD resources for one node: each resource the node takes part in, with its rendered
 * file (the same bytes on both nodes) and this node's declared role (cluster-owned on a pair:
 * used only when the resource is created).
 */
import type { DesiredContext } from '../../reconciler/core/driver.js';
import type { Resource } from '../../reconciler/core/resource.js';
import type { SanformModel } from '../../schema/model.js';
import { KIND, resourceAddr } from './address.js';
import { renderResource } from './render.js';
import { createHash } from 'node:crypto';

/** What the spec holds of a resource file: its digest (the text itself goes to the file op). */
export const fileDigest = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;

/** The rendered text of a desired resource. */
export const contentOf = (r: Resource): string => (r.status as { content: string }).content;

export interface DrbdResourceSpec {
  /** digest of the resource file /etc/drbd.d/NAME.res (`sha256:` + 16 hex); absent when there is none. */
  file?: string;
  /** this node's role (cluster-owned on a pair). */
  role?: 'primary' | 'secondary';
}

/** What the real tool said while planning (set by preplan on the desired resource). */
export interface DrbdFacts {
  /** `drbdadm -d adjust` output against the desired file. */
  adjust?: string[];
  /** volume -> the lower disk already carries DRBD metadata. */
  metadata?: Record<string, boolean>;
  /** volume -> a signature (file system, RAID...) found on a lower disk without DRBD metadata. */
  signature?: Record<string, string>;
  /** volumes whose lower disk grew past what DRBD uses (drbdadm resize carries it up). */
  grown?: string[];
}

export function desired(model: SanformModel, ctx: DesiredContext): Resource[] {
  const out: Resource[] = [];
  for (const [name, spec] of Object.entries(model.storage?.drbd ?? {})) {
    const mine = spec.nodes[ctx.node];
    if (!mine && Object.keys(model.nodes ?? {}).length > 0) continue;
    const text = renderResource(model, name, spec).text;
    const s: DrbdResourceSpec = { file: fileDigest(text) };
    if (mine?.role) s.role = mine.role;
    out.push({ address: resourceAddr(name), kind: KIND, driver: 'drbd', spec: s as unknown as Record<string, unknown>, status: { content: text, drbdDevices: Object.values(spec.volumes).map((v) => v.device), lowerDisks: Object.values(spec.volumes).map((v) => v.disk) }, deps: [] });
  }
  return out;
}
