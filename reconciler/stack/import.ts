/**
 * `sanform import` for the storage stack: every driver that has `importModel` describes its own
 * live objects (`{ storage: { md: {...} } }`); this merges the parts into one model part. Pure:
 * the caller observes.
 */
import type { Driver } from '../core/driver.js';
import type { Resource } from '../core/resource.js';
import type { SanformModel } from '../../schema/model.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `b` merged into `a`, maps merged key by key (two drivers never write the same leaf). */
function merge(a: Obj, b: Obj): Obj {
  const out: Obj = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObj(out[k]) && isObj(v) ? merge(out[k], v) : v;
  return out;
}

/** The drivers an import asks: those that can describe their live objects. */
export const importingDrivers = (drivers: readonly Driver[]): Driver[] => drivers.filter((d) => d.importModel);

/** Every driver's part of the desired-state file for the observed resources, merged. */
export function importStack(observed: readonly Resource[], drivers: readonly Driver[], ctx: { node: string }): Partial<SanformModel> {
  let out: Obj = {};
  for (const d of importingDrivers(drivers)) {
    const mine = observed.filter((r) => r.driver === d.name);
    out = merge(out, d.importModel!(mine, ctx) as Obj);
  }
  return out as Partial<SanformModel>;
}

/** A model with an imported part added (the SCST import's model plus the stack's). */
export const withImported = (model: SanformModel, part: Partial<SanformModel>): SanformModel => merge(model as unknown as Obj, part as Obj) as unknown as SanformModel;
