/** `sanform version`: what is installed, for bug reports: sanform, node, the sysfs helper. */
import pkg from '../../package.json' with { type: 'json' };
import { sysfsHelperStatus } from '../../reconciler/host/helper-status.js';
import type { Command } from '../command.js';

/** built in (the single executable has no package.json beside it). */
export const packageVersion = (): string => pkg.version;

export const versionCommand = {
  name: 'version',
  summary: 'print the versions of sanform and node, and whether the native sysfs helper is loaded',
  usage: `Usage: sanform version [--json]

Prints sanform's version, the node running it and the sysfs helper in use: "loaded" (the
compiled addon, built by npm install with node-gyp) or "missing: JavaScript fallback" with the
reason (no compiler at install time, SANFORM_NATIVE=0...). The fallback gives the same results,
slower on large trees. \`sanform --version\` prints the version only.

Options:
  --json   the same as one JSON object: { sanform, node, nativeHelper: { loaded, reason? } }

Exit codes: 0.
`,
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    const h = sysfsHelperStatus();
    const loaded = h.implementation === 'native';
    if (args.values.json) {
      const out = { sanform: packageVersion(), node: process.version, nativeHelper: { loaded, ...(h.reason ? { reason: h.reason } : {}) } };
      io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return 0;
    }
    const helper = loaded ? 'loaded' : `missing: JavaScript fallback${h.reason ? ` (${h.reason})` : ''}`;
    io.stdout.write(`sanform ${packageVersion()}\nnode ${process.version}\nnative sysfs helper: ${helper}\n`);
    return 0;
  },
} satisfies Command;
