// Runs every *.test.ts of the project with node:test through tsx (Node 20's --test has no globs).
// Usage: node test/run.js [substring ...]   (only files whose path contains one of the substrings)
import { spawnSync } from 'node:child_process';
import { readdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const folders = ['schema', 'reconciler', 'drivers', 'native', 'cli', 'test'];
const filters = process.argv.slice(2);
const files = folders
  .flatMap((d) => {
    try {
      return readdirSync(join(root, d), { recursive: true }).map((f) => join(d, String(f)));
    } catch {
      return [];
    }
  })
  .filter((f) => f.endsWith('.test.ts') && !f.includes('node_modules'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files.map((f) => relative(process.cwd(), join(root, f)))],
  // secret files are read only from the machine's secrets directory: for tests, the temp dir
  // their fixtures are made in (a test that checks the restriction sets its own)
  { stdio: 'inherit', cwd: process.cwd(), env: { ...process.env, SANFORM_SECRETS_DIR: process.env.SANFORM_SECRETS_DIR ?? realpathSync(tmpdir()) } },
);
process.exit(r.status ?? 1);
