/**
 * Drift classes per object, for `sanform drift`: the same classification the watch daemon uses
 * (classify.ts), folded from drifted fields to drifted objects.
 */
import { classifyDrift, type ClassifyInput } from './classify.js';
import type { DriftClass, DriftItem } from './types.js';

/** The class of one drifted object, with the reason of the field that gave it. */
export interface ObjectDrift {
  class: DriftClass;
  why: string;
}

/**
 * Which class an object takes when its fields differ in class: the first of this list. Only
 * updates mix classes (operator and failover fields); the one to act on is the operator's.
 */
const PRECEDENCE: readonly DriftClass[] = ['operator', 'kernel', 'hardware', 'failover'];

/** Folds drift items (one per field) into one class per address. */
export function objectClasses(items: readonly DriftItem[]): Map<string, ObjectDrift> {
  const byAddress = new Map<string, DriftItem[]>();
  for (const i of items) byAddress.set(i.address, [...(byAddress.get(i.address) ?? []), i]);
  const out = new Map<string, ObjectDrift>();
  for (const [address, list] of byAddress) {
    const first = PRECEDENCE.map((c) => list.find((i) => i.class === c)).find((i) => i !== undefined)!;
    out.set(address, { class: first.class, why: first.why });
  }
  return out;
}

/** Classifies the changes of a drift report and folds the result per object. */
export function classifyObjects(input: ClassifyInput): Map<string, ObjectDrift> {
  return objectClasses(classifyDrift(input));
}
