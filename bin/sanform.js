#!/usr/bin/env node
// Entry point of the `sanform` command: runs the compiled bundle in dist/ (built by `npm install`
// through `prepare`, or by `npm run build`). No compiler runs at start. In a checkout where dist/
// was not built, it says so and runs the sources through the dev entry instead.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/sanform.js', import.meta.url);
if (existsSync(bundle)) {
  const { run } = await import(bundle.href);
  process.exitCode = await run(process.argv.slice(2), { argv: [process.execPath, fileURLToPath(import.meta.url)], kind: 'build' });
} else {
  process.stderr.write('sanform: dist/ is not built (run npm run build); running the sources through tsx, slowly\n');
  await import('./sanform-dev.js');
}
