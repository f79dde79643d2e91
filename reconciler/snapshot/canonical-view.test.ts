import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { canonicalJson, sortKeys } from './canonical.js';
import { canonicalView } from './canonical-view.js';

const outcome = (f: () => string | undefined): { ok: string | undefined } | { threw: string } => {
  try {
    return { ok: f() };
  } catch (e) {
    return { threw: (e as Error).name };
  }
};
const same = (v: unknown, indent?: number): void =>
  assert.deepEqual(outcome(() => JSON.stringify(canonicalView(v), null, indent)), outcome(() => JSON.stringify(sortKeys(v), null, indent)));

test('canonicalView stringifies exactly as sortKeys does (property)', () => {
  const key = fc.oneof(fc.constantFrom('0', '1', '2', '10', '01', '-1', 'a', 'B', 'b', '__proto__', 'toJSON', '4294967294', '4294967295', ''), fc.string());
  const leaf = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.date(), fc.constant(() => 1), fc.constant(-0));
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, leaf, tie('arr'), tie('obj')),
    arr: fc.array(tie('value'), { maxLength: 5 }),
    obj: fc.dictionary(key, tie('value'), { maxKeys: 6 }),
  }));
  fc.assert(fc.property(value, fc.constantFrom(undefined, 2), (v, indent) => same(v, indent)), { numRuns: 3000 });
  const anything = fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withObjectString: true, withBigInt: true });
  fc.assert(fc.property(anything, (v) => same(v)), { numRuns: 3000 });
});

test('canonicalView shares what is canonical already and copies what is not', () => {
  const attrs = { a: 1, b: [1, 2] };
  const sorted = { address: 'x', spec: { attributes: attrs } };
  assert.equal(canonicalView(sorted), sorted);
  const unsorted = { spec: { attributes: attrs }, address: 'x' };
  const v = canonicalView(unsorted) as typeof unsorted;
  assert.notEqual(v, unsorted);
  assert.equal(v.spec, unsorted.spec);
  assert.deepEqual(Object.keys(v), ['address', 'spec']);
  assert.equal(canonicalJson({ b: 1, 10: 2, a: [undefined], 2: -0 }), '{"2":0,"10":2,"a":[null],"b":1}');
});
