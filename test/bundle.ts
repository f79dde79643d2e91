/**
 * Compiles what a test run executes, once, before the files run (test/run.js calls this):
 *   OUT/cli/      the CLI built as `npm run build` builds dist/, plus `sanform-test.js`, an entry
 *                 like bin/sanform.js for it: the tests that start sanform as a process (and the
 *                 git hooks `sanform init` installs from them) start this one, compiled from the
 *                 sources as they are now
 *   OUT/tests/    each test file bundled with the project's sources it imports (npm packages stay
 *                 outside), so a file starts without a TypeScript loader compiling a few hundred
 *                 modules in every process
 * Every `import.meta.url` of a project source keeps the URL its source file has (pack/build.ts's
 * plugin), so fixtures, child scripts and the native helper are found where they are.
 *
 *   node --import tsx test/bundle.ts OUT FILE...
 * Prints nothing on success; on a build error, the error (test/run.js then runs the sources).
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { EXTERNAL, ROOT, buildDist, metaUrlPlugin } from '../pack/build.js';

const [out, ...files] = process.argv.slice(2);
if (!out) {
  process.stderr.write('usage: test/bundle.ts OUT FILE...\n');
  process.exit(2);
}

async function cli(): Promise<void> {
  const dir = join(resolve(out!), 'cli');
  await buildDist(dir);
  await writeFile(
    join(dir, 'sanform-test.js'),
    [
      '#!/usr/bin/env node',
      '// written by test/bundle.ts: bin/sanform.js for the build of this test run',
      "import { fileURLToPath } from 'node:url';",
      "const { run } = await import('./sanform.js');",
      "process.exitCode = await run(process.argv.slice(2), { argv: [process.execPath, fileURLToPath(import.meta.url)], kind: 'build' });",
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
}

async function tests(): Promise<void> {
  if (files.length === 0) return;
  await build({
    entryPoints: files.map((f) => resolve(ROOT, f)),
    outbase: ROOT,
    outdir: join(resolve(out!), 'tests'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    external: EXTERNAL,
    sourcemap: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    plugins: [metaUrlPlugin((file) => JSON.stringify(pathToFileURL(file).href))],
    logLevel: 'error',
  });
}

await Promise.all([cli(), tests()]);
