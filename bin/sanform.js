#!/usr/bin/env node
// Entry point of the `sanform` command: runs the TypeScript sources through tsx's loader,
// so a clean checkout works after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
