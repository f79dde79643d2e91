// npm "install" hook: builds the native sysfs helper with node-gyp when a compiler is present.
// It never fails the install: without the addon, native/index.ts falls back to JavaScript.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
if (!existsSync(join(here, 'binding.gyp'))) process.exit(0);
const gyp = join(here, '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
// Node's headers ship beside the binary (/usr/include/node for Debian's /usr/bin/node); use them
// unless npm already passes a nodedir (.npmrc), so node-gyp never tries to download them.
const prefix = join(dirname(process.execPath), '..');
const nodedir = process.env.npm_config_nodedir || (existsSync(join(prefix, 'include', 'node', 'node.h')) ? prefix : undefined);
const args = existsSync(gyp) ? [gyp, 'rebuild', ...(nodedir ? [`--nodedir=${nodedir}`] : [])] : null;
if (!args) {
  console.warn('sanform: node-gyp not installed; the native sysfs helper is not built (JavaScript fallback in use)');
  process.exit(0);
}
const r = spawnSync(process.execPath, args, { cwd: here, stdio: 'inherit' });
if (r.status !== 0) console.warn('sanform: native sysfs helper failed to build; the JavaScript fallback is used');
