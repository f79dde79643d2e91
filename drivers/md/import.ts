/** importModel: `storage.md` for the live arrays (defaults left out), so the next plan is empty. */
import type { Resource } from '../../reconciler/core/resource.js';
import type { MdSpec, SanformModel } from '../../schema/model.js';
import { DEFAULT_CHUNK, type ArraySpec } from './kinds.js';

export function importModel(observed: readonly Resource[]): Partial<SanformModel> {
  const md: Record<string, MdSpec> = {};
  for (const r of observed) {
    if (r.kind !== 'md.array') continue;
    const s = r.spec as unknown as ArraySpec;
    md[s.name] = {
      level: s.level as MdSpec['level'], devices: [...s.devices],
      ...(s.spares.length ? { spares: [...s.spares] } : {}),
      ...(s.chunk !== undefined && s.chunk !== DEFAULT_CHUNK ? { chunk: `${s.chunk / 1024}K` } : {}),
      ...(s.metadata !== '1.2' ? { metadata: s.metadata as MdSpec['metadata'] } : {}),
    };
  }
  return Object.keys(md).length ? ({ storage: { md } } as Partial<SanformModel>) : {};
}
