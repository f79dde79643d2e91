/**
 * The FUSE server, run as a CHILD process (never in a process that touches the mount: a
 * synchronous call on the mount from the serving process deadlocks in the kernel):
 *
 *   node --import tsx drivers/sim/fuse/server.ts --sim DIR MOUNTPOINT [--exit-with-parent]
 *
 * Prints `ready` on stdout once the kernel has initialised the mount, then serves until SIGTERM,
 * SIGINT or SIGHUP (unmounts, exits 0), until the mount disappears (someone ran fusermount -u),
 * or, with --exit-with-parent, until the process that started it is gone: that parent holds our
 * stdin pipe, so its death reads as end of file at once (a foreground `sanform sim mount` killed
 * before it could unmount must not leave an orphan mount behind). A parent gone before `ready`
 * makes that write fail with EPIPE, which is no crash; a real crash still unmounts first.
 * The mount's source reads `sanform:<pid>` in /proc/self/mountinfo, which is how
 * `sanform sim umount` finds this process.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { EmulatedFs } from '../vfs.js';
import { fuseOps } from './ops.js';
import { findMount } from './mountinfo.js';

interface FuseInstance {
  mount(cb: (err: Error | null) => void): void;
  unmount(cb: (err: Error | null) => void): void;
  _fuseOptions(): string;
}
type FuseClass = new (mnt: string, ops: object, opts: object) => FuseInstance;

/** libfuse 2 options fuse-native has no switch for: no page cache (sysfs content changes under
 * the reader and its size is unknown before a read) and no attribute or lookup caching. */
const EXTRA_OPTIONS = ['direct_io', 'entry_timeout=0', 'attr_timeout=0', 'negative_timeout=0'];

/** The SCST emulator of the sim DIR, every call synced with the machine's shared state. */
async function loadSource(dir: string): Promise<EmulatedFs> {
  const { openSimHost } = await import('../index.js');
  return (await openSimHost(dir)).scstFs();
}

function loadFuse(): FuseClass {
  const Fuse = createRequire(import.meta.url)('fuse-native') as FuseClass;
  return class extends Fuse {
    override _fuseOptions(): string {
      const base = super._fuseOptions();
      return base ? `${base},${EXTRA_OPTIONS.join(',')}` : `-o${EXTRA_OPTIONS.join(',')}`;
    }
  };
}

async function main(argv: string[]): Promise<void> {
  const [kind, spec, mountpoint, flag] = argv;
  if (kind !== '--sim' || !spec || !mountpoint) {
    process.stderr.write('usage: server.ts --sim DIR MOUNTPOINT\n');
    process.exit(2);
  }
  const efs = await loadSource(spec);
  const Fuse = loadFuse();
  const ops = fuseOps(efs, {
    onError: (op, path, e) => process.stderr.write(`sanform fuse: ${op} ${path}: ${(e as Error).stack ?? e}\n`),
  });
  const mnt = resolve(mountpoint);
  const fuse = new Fuse(mnt, ops, { fsname: `sanform:${process.pid}`, subtype: 'sanform', timeout: false });
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    fuse.unmount((err) => {
      if (err) process.stderr.write(`sanform fuse: unmount failed: ${err.message}\n`);
      process.exit(err ? 1 : code);
    });
  };
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => stop(0));
  // the reader of `ready` may be gone already (a killed foreground parent): not an error
  process.stdout.on('error', () => {});
  if (flag === '--exit-with-parent') {
    process.stdin.on('end', () => stop(0)).on('error', () => stop(0)).resume();
  }
  process.on('uncaughtException', (e) => {
    process.stderr.write(`sanform fuse: ${e.stack ?? e}\n`);
    stop(1);
  });
  fuse.mount((err) => {
    if (err) {
      process.stderr.write(`sanform fuse: mount failed: ${err.message}\n`);
      process.exit(1);
    }
    process.stdout.write('ready\n');
    // exit when the mount goes away behind our back (fusermount -u, umount -l)
    setInterval(() => {
      if (!stopping && !findMount(mnt)) process.exit(0);
    }, 500).unref();
  });
}

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`sanform fuse: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
