// The ESLint config enforces the one-way layers (DESIGN §2); lint probe texts as if they lived
// in each folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const cwd = fileURLToPath(new URL('../../', import.meta.url));

const cases: [file: string, spec: string, allowed: boolean][] = [
  ['schema/probe.ts', '../reconciler/core/resource.js', false],
  ['schema/probe.ts', '../native/build.js', false],
  ['reconciler/load/probe.ts', '../../schema/model.js', true],
  ['reconciler/load/probe.ts', '../../drivers/scst/index.js', false],
  ['reconciler/load/probe.ts', '../../cli/main.js', false],
  ['reconciler/plan/probe.ts', '../../native/build.js', false],
  ['reconciler/host/probe.ts', '../../native/build.js', true],
  ['reconciler/host/probe.ts', '../../drivers/scst/index.js', false],
  ['drivers/scst/probe.ts', '../../reconciler/core/resource.js', true],
  ['drivers/scst/probe.ts', '../../cli/main.js', false],
  ['drivers/scst/probe.ts', '../../native/build.js', false],
  ['cli/commands/probe.ts', '../../drivers/scst/index.js', true],
  ['cli/commands/probe.ts', '../../native/build.js', false],
];

test('layer rule: each folder may import only downwards', async () => {
  const eslint = new ESLint({ cwd });
  for (const [file, spec, allowed] of cases) {
    const text = `import { x } from '${spec}';\nimport type { X } from '${spec}';\nexport const y: X = x;\n`;
    const [r] = await eslint.lintText(text, { filePath: `${cwd}${file}` });
    const layerErrors = r.messages.filter((m) => m.ruleId === 'no-restricted-imports');
    assert.equal(layerErrors.length, allowed ? 0 : 2, `${file} importing ${spec} (value and type): ${JSON.stringify(r.messages)}`);
  }
});
