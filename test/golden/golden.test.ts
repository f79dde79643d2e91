import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { renderCase } from './harness.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const cases = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

test('there are at least 20 golden plan cases', () => {
  assert.ok(cases.length >= 20, `only ${cases.length} cases`);
});

for (const name of cases) {
  test(`golden plan: ${name}`, async () => {
    const dir = join(root, name);
    const { text: got, plan, secretValues, converge } = await renderCase(dir);
    for (const v of secretValues) assert.ok(!JSON.stringify(plan).includes(v) && !got.includes(v), 'a secret value leaked into the plan');
    const file = join(dir, 'expected.txt');
    if (process.env.UPDATE_GOLDEN === '1') {
      await writeFile(file, got);
      return;
    }
    const want = await readFile(file, 'utf8').catch(() => '(expected.txt missing: run with UPDATE_GOLDEN=1)\n');
    assert.equal(got, want);
    // the plan's ops, applied to the emulated kernel, leave nothing to do but what is blocked
    const again = await converge();
    assert.deepEqual(again.changes.map((c) => `${c.action} ${c.address}`), []);
  });
}
