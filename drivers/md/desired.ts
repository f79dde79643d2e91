/** desired: `storage.md` for one node, in observe's shape (sorted members, chunk in bytes). */
import type { DesiredContext } from '../../reconciler/core/driver.js';
import type { Resource } from '../../reconciler/core/resource.js';
import type { MdSpec, SanformModel } from '../../schema/model.js';
import { addr, CHUNKED, DEFAULT_CHUNK, type ArraySpec } from './kinds.js';

const onNode = (s: MdSpec, node: string): boolean => s.node === undefined || (Array.isArray(s.node) ? s.node.includes(node) : s.node === node);

/** `512K` -> bytes (KiB without a unit, as mdadm reads it). */
export function chunkBytes(s: string): number {
  const m = /^(\d+)([KkMm]?)$/.exec(s)!;
  return Number(m[1]) * (m[2]?.toLowerCase() === 'm' ? 1024 * 1024 : 1024);
}

export function desired(model: SanformModel, ctx: DesiredContext): Resource[] {
  const md = model.storage?.md;
  if (!md) return [];
  const out: Resource[] = [];
  const names: string[] = [];
  for (const [key, s] of Object.entries(md)) {
    if (!onNode(s, ctx.node)) continue;
    const name = s.name ?? key;
    const spec: ArraySpec = {
      level: s.level, devices: [...s.devices].sort(), spares: [...(s.spares ?? [])].sort(),
      ...(CHUNKED.has(s.level) ? { chunk: s.chunk ? chunkBytes(s.chunk) : DEFAULT_CHUNK } : {}),
      metadata: s.metadata ?? '1.2', name,
    };
    out.push({ address: addr.array(name), kind: 'md.array', driver: 'md', spec: { ...spec, order: s.devices } as unknown as Record<string, unknown>, deps: [] });
    names.push(name);
  }
  out.push({ address: addr.conf(), kind: 'md.conf', driver: 'md', spec: { arrays: names.sort() }, deps: out.map((r) => r.address) });
  return out;
}
