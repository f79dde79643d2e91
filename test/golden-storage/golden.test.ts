import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { renderCase } from './harness.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const cases = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

test('there are golden cases for bcache and btier', () => {
  assert.ok(cases.filter((c) => c.includes('bcache')).length >= 5 && cases.filter((c) => c.includes('btier')).length >= 3, cases.join(', '));
});

for (const name of cases) {
  test(`golden storage plan: ${name}`, async () => {
    const dir = join(root, name);
    const { text: got, plan, host, converge } = await renderCase(dir);
    try {
      const file = join(dir, 'expected.txt');
      if (process.env.UPDATE_GOLDEN === '1') {
        await writeFile(file, got);
        return;
      }
      const want = await readFile(file, 'utf8').catch(() => '(expected.txt missing: run with UPDATE_GOLDEN=1)\n');
      assert.equal(got, want);
      // what was planned (and not blocked) converges: the next plan holds only what stays blocked
      const again = await converge();
      assert.deepEqual(again.changes.map((c) => `${c.action} ${c.address}`), []);
      const before = new Set(plan.blocked.map((b) => b.address));
      assert.deepEqual(again.blocked.map((b) => b.address).filter((a) => !before.has(a)), [], 'nothing new is blocked');
    } finally {
      await host.close();
    }
  });
}
