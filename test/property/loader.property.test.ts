// Property: whatever the text, the loader returns a model or diagnostics; it never throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { loadDesiredTexts } from '../../reconciler/load/index.js';
import type { LoadResult, SourceText } from '../../reconciler/load/index.js';

const dir = fileURLToPath(new URL('../../examples/', import.meta.url));
const sets: SourceText[][] = readdirSync(dir).sort().flatMap((name) => {
  const p = join(dir, name);
  if (statSync(p).isDirectory()) return [readdirSync(p).sort().map((f) => ({ file: join(name, f), text: readFileSync(join(p, f), 'utf8') }))];
  return name.endsWith('.yaml') ? [[{ file: name, text: readFileSync(p, 'utf8') }]] : [];
});

type Path = (string | number)[];
function paths(v: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(v)) return [prefix, ...v.flatMap((x, i) => paths(x, [...prefix, i]))];
  if (v && typeof v === 'object') return [prefix, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...prefix, k]))];
  return [prefix];
}

/** Deletes or replaces the value at `path` (a copy is changed). */
function mutate(data: unknown, path: Path, replacement: unknown, remove: boolean): unknown {
  if (path.length === 0) return remove ? null : replacement;
  const root = structuredClone(data) as Record<string | number, unknown>;
  let cur = root;
  for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (remove && Array.isArray(cur)) cur.splice(Number(last), 1);
  else if (remove) delete cur[last];
  else cur[last] = replacement;
  return root;
}

function wellFormed(r: LoadResult): boolean {
  for (const d of r.diagnostics) {
    assert.equal(typeof d.code, 'string');
    assert.ok(Number.isInteger(d.line) && d.line >= 0 && Number.isInteger(d.col) && d.col >= 0);
    assert.ok(d.severity === 'error' || d.severity === 'warning');
  }
  if (r.ok) return r.diagnostics.every((d) => d.severity === 'warning') && typeof r.model === 'object';
  return r.diagnostics.some((d) => d.severity === 'error');
}

const arbText = fc.record({
  set: fc.nat(sets.length - 1),
  file: fc.nat(),
  kind: fc.constantFrom('delete', 'retype', 'duplicate-line', 'garbage', 'truncate'),
  pick: fc.nat(),
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('', '0x', '10Q', -1, 99999, 'A:B', [], {})),
  garbage: fc.string({ maxLength: 12 }),
});

test('mutated examples: the loader returns a model or diagnostics, never throws', () => {
  fc.assert(
    fc.property(arbText, (m) => {
      const files = sets[m.set].map((f) => ({ ...f }));
      const f = files[m.file % files.length];
      if (m.kind === 'delete' || m.kind === 'retype') {
        const data = parse(f.text);
        const all = paths(data);
        f.text = stringify(mutate(data, all[m.pick % all.length], m.value, m.kind === 'delete'));
      } else {
        const lines = f.text.split('\n');
        const i = m.pick % lines.length;
        if (m.kind === 'duplicate-line') lines.splice(i, 0, lines[i]);
        if (m.kind === 'garbage') lines[i] = lines[i].slice(0, m.pick % (lines[i].length + 1)) + m.garbage + lines[i].slice(m.pick % (lines[i].length + 1));
        f.text = m.kind === 'truncate' ? f.text.slice(0, m.pick % (f.text.length + 1)) : lines.join('\n');
      }
      return wellFormed(loadDesiredTexts(files));
    }),
    { numRuns: 120 },
  );
});

test('a duplicated mapping line is reported as DUPLICATE_KEY at the second line', () => {
  const text = 'version: 1\nscst:\n  clusterName: a\n  clusterName: a\n';
  const r = loadDesiredTexts([{ file: 'x.yaml', text }]);
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.line, d.col]), [['DUPLICATE_KEY', 4, 3]]);
});
