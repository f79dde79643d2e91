#!/usr/bin/env node
// Development entry of `sanform`: runs the TypeScript sources through tsx's loader, so an edit is
// live without a rebuild. The tests start this one; `bin/sanform.js` runs the build in dist/.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
const { run } = await import('../cli/entry.ts');
process.exitCode = await run(process.argv.slice(2), { argv: [process.execPath, fileURLToPath(import.meta.url)], kind: 'sources' });
