import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PathIndex, ROOT, type PathEntry, type PathSeg } from './sources.js';

/** Joined path (a list index and the same digits as a key are one path, as in the YAML data). */
const pathKey = (p: readonly PathSeg[]): string => JSON.stringify(p.map(String));

/** The plain reference: a Map from joined path to entry, first writer wins. */
function reference(adds: [PathSeg[], PathEntry][]): Map<string, [PathSeg[], PathEntry]> {
  const m = new Map<string, [PathSeg[], PathEntry]>();
  for (const [p, e] of adds) if (!m.has(pathKey(p))) m.set(pathKey(p), [p, e]);
  return m;
}

const seg = fc.oneof(fc.constantFrom('a', 'b', 'scst', 'iqn.x:1', ''), fc.nat({ max: 3 }));
const path = fc.array(seg, { maxLength: 4 });
const pos = fc.tuple(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 80 })).map(([line, col]) => ({ line, col }));
const entry = fc.tuple(fc.constantFrom('a.yaml', 'b.yaml'), fc.option(pos, { nil: undefined }), pos).map(
  ([file, key, value]): PathEntry => (key ? { file, key, value } : { file, value }),
);

test('the packed index answers exact, entry, locate and paths like a plain map of paths', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(path, entry), { maxLength: 30 }), fc.array(path, { maxLength: 10 }), (adds, probes) => {
      const index = new PathIndex();
      for (const [p, e] of adds) index.add(p, e);
      const ref = reference(adds);
      assert.deepEqual([...index.paths()].map(([p]) => pathKey(p)), [...ref.keys()]);
      for (const p of [...adds.map(([q]) => q), ...probes]) {
        const exact = ref.get(pathKey(p))?.[1];
        assert.deepEqual(index.exact(p), exact);
        let near: PathEntry | undefined;
        for (let n = p.length; n >= 0 && !near; n--) near = ref.get(pathKey(p.slice(0, n)))?.[1];
        assert.deepEqual(index.entry(p), near);
        const want = near ? { file: near.file, ...(exact ? exact.value : (near.key ?? near.value)) } : { file: '', line: 0, col: 0 };
        assert.deepEqual(index.locate(p, 'value'), want);
        const k = near ? { file: near.file, ...(near.key ?? near.value) } : { file: '', line: 0, col: 0 };
        assert.deepEqual(index.locate(p, 'key'), k);
      }
    }),
    { numRuns: 300 },
  );
});

test('addChild records under a parent id and pathOf gives the path back', () => {
  const index = new PathIndex();
  index.add([], { file: 'x.yaml', value: { line: 1, col: 1 } });
  let id = ROOT;
  for (let i = 0; i < 1000; i++) id = index.addChild(id, i % 2 ? i : `k${i}`, { file: 'x.yaml', value: { line: i + 2, col: 3 } });
  const p = index.pathOf(id);
  assert.equal(p.length, 1000);
  assert.equal(p[1], 1);
  assert.deepEqual(index.exact(p), { file: 'x.yaml', value: { line: 1001, col: 3 } });
  assert.equal(index.lookup([...p, 'missing'])?.line, 1001);
});
