/**
 * `--host` to a Host: 'local' (this machine), 'local:DIR' (this machine with
 * /sys/kernel/scst_tgt read from DIR: a FUSE mount or a materialized tree) or 'sim:DIR' (the
 * emulated machine kept in DIR). Lives in cli/ because the SimHost comes from drivers/.
 */
import { resolve } from 'node:path';
import type { Host } from '../reconciler/host/host.js';
import { createLocalHost } from '../reconciler/host/local.js';
import { parseHostSpec } from '../reconciler/host/select.js';

/** Opens the Host a `--host` value names; relative DIRs are taken from `cwd`. */
export async function openHost(spec: string, opts: { cwd: string }): Promise<Host> {
  const s = parseHostSpec(spec);
  // the emulators are loaded only for a sim host
  if (s.kind === 'sim') return (await import('../drivers/sim/index.js')).openSimHost(resolve(opts.cwd, s.dir));
  if ('sysfsRoot' in s) return createLocalHost({ sysfsRoot: resolve(opts.cwd, s.sysfsRoot) });
  return createLocalHost();
}
