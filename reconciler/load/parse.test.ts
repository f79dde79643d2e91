import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { parseFile } from './parse.js';

test('the value built while indexing equals yaml.parse for any JSON-like document', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (v, flow) => {
      const text = stringify(v, flow ? { collectionStyle: 'flow' } : undefined);
      const p = parseFile('x.yaml', text);
      assert.deepEqual(p.diagnostics, []);
      assert.deepEqual(p.value, parse(text));
    }),
    { numRuns: 200 },
  );
});

test('aliases, odd keys and __proto__ keys give the same value as yaml.parse', () => {
  for (const text of ['a: &x { b: 1 }\nc: *x\n', '? [1, 2]\n: v\n', 'k: [a: 1]\n', '__proto__: { polluted: 1 }\nz: 2\n', '', '# only a comment\n']) {
    const p = parseFile('x.yaml', text);
    assert.deepEqual(p.value, parse(text), text);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('positions: key and value of nested entries, list items', () => {
  const p = parseFile('x.yaml', 'a:\n  b: [10, 20]\n  c: { d: x }\n');
  assert.deepEqual(p.index.exact(['a', 'b']), { file: 'x.yaml', key: { line: 2, col: 3 }, value: { line: 2, col: 6 } });
  assert.deepEqual(p.index.exact(['a', 'b', 1]), { file: 'x.yaml', value: { line: 2, col: 11 } });
  assert.deepEqual(p.index.locate(['a', 'c', 'd'], 'value'), { file: 'x.yaml', line: 3, col: 11 });
});
