// docs/diagnostics.md lists exactly the codes of the DiagnosticCode union.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const read = (rel: string): string => readFileSync(new URL(rel, import.meta.url), 'utf8');

test('every diagnostic code is documented, and only those', () => {
  const types = read('./types.ts');
  const union = types.slice(types.indexOf('export type DiagnosticCode'), types.indexOf(';', types.indexOf('export type DiagnosticCode')));
  const codes = new Set([...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]));
  const documented = new Set([...read('../../docs/diagnostics.md').matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]));
  assert.ok(codes.size > 30);
  assert.deepEqual(documented, codes);
});
