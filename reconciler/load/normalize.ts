/**
 * Canonical forms in the model, applied after validation passed: `scst.setupId` as a number and
 * device sizes in bytes (the schema accepts "0x5a01" and "10G" for people).
 */
import { parseSetupId, parseSize } from './units.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Rewrites `doc` in place (it is the loader's own fresh copy) and returns it. */
export function normalize(doc: Obj): Obj {
  const scst = doc.scst;
  if (!isObj(scst)) return doc;
  if (scst.setupId !== undefined) scst.setupId = parseSetupId(scst.setupId) ?? scst.setupId;
  if (isObj(scst.devices)) {
    for (const dev of Object.values(scst.devices)) {
      if (!isObj(dev)) continue;
      sizeToBytes(dev);
      if (isObj(dev.perNode)) for (const over of Object.values(dev.perNode)) if (isObj(over)) sizeToBytes(over);
    }
  }
  return doc;
}

function sizeToBytes(o: Obj): void {
  if (o.size !== undefined) o.size = parseSize(o.size) ?? o.size;
}
