#!/usr/bin/env node
// Entry point of the `sanform` command: runs the TypeScript sources through tsx's loader,
// so a clean checkout works after `npm install` with no build step.
import { register } from 'tsx/esm/api';

// A reader that goes away early (`sanform plan | head`) is not an error: stop quietly, as
// cat and git do, instead of crashing on EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
