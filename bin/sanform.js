#!/usr/bin/env node
// Entry point of the `sanform` command: runs the TypeScript sources through tsx's loader,
// so a clean checkout works after `npm install` with no build step.
import { register } from 'tsx/esm/api';

// A reader that goes away early (`sanform drift | head -1`) is not a crash: the rest of the
// output is dropped, quietly, and the command still ends with its own exit code (2 for drift),
// so `sanform drift | grep -q ...` under pipefail, or $PIPESTATUS, tells the truth.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
    throw e;
  });
}

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
