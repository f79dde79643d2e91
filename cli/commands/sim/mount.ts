import { join, resolve } from 'node:path';
import { mountFs } from '../../../drivers/sim/fuse/mount.js';
import type { SimAction } from './action.js';

/**
 * Listens for SIGINT/SIGTERM from the start, so a signal that arrives while the mount is still
 * being set up is not fatal: it stops the mount as soon as it is up.
 */
function stopSignal(): { stopped: Promise<'signal'>; dispose(): void } {
  let fire!: (v: 'signal') => void;
  const stopped = new Promise<'signal'>((r) => (fire = r));
  const on = () => fire('signal');
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return { stopped, dispose: () => (process.off('SIGINT', on), process.off('SIGTERM', on)) };
}

const exited = (child: NodeJS.EventEmitter & { exitCode: number | null; signalCode: string | null }): Promise<'exit'> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve('exit') : new Promise((r) => child.once('exit', () => r('exit')));

export const mount: SimAction = {
  name: 'mount',
  summary: 'serve the emulated SCST tree as a FUSE file system (real syscalls, shell tools, the native helper)',
  usage: [
    'sanform sim mount SIM_DIR MOUNTPOINT [--background] [--server-log FILE]',
    '  stays in the foreground until Ctrl-C (SIGINT) or SIGTERM, then unmounts;',
    '  a stale mount at MOUNTPOINT (server gone or hung) is cleared first',
    '  --background       return once mounted; prints the server pid (stop it: sanform sim umount)',
    '  --server-log FILE  server errors go here (default with --background: SIM_DIR/state/fuse-server.log)',
  ].join('\n'),
  options: { background: { type: 'boolean' }, 'server-log': { type: 'string' } },
  async run(args, values, io) {
    if (args.length !== 2) {
      io.stderr.write('sanform sim mount: expected SIM_DIR MOUNTPOINT\n');
      return 1;
    }
    const sim = resolve(io.cwd, args[0]);
    const background = values.background === true;
    const log = typeof values['server-log'] === 'string' ? resolve(io.cwd, values['server-log']) : background ? join(sim, 'state', 'fuse-server.log') : undefined;
    if (background) {
      const m = await mountFs({ source: { sim }, mountpoint: resolve(io.cwd, args[1]), background, logFile: log });
      io.stderr.write(`mounted ${sim} at ${m.mountpoint}; server pid on stdout${log ? `, log in ${log}` : ''}\n`);
      io.stdout.write(`${m.pid}\n`);
      return 0;
    }
    const sig = stopSignal();
    let why: 'signal' | 'exit';
    let m;
    try {
      m = await mountFs({ source: { sim }, mountpoint: resolve(io.cwd, args[1]), background, logFile: log });
      io.stderr.write(`mounted ${sim} at ${m.mountpoint} (server pid ${m.pid}); Ctrl-C unmounts\n`);
      why = await Promise.race([sig.stopped, exited(m.child)]);
      await m.unmount();
    } finally {
      sig.dispose();
    }
    if (why === 'exit') {
      io.stderr.write(`sanform sim mount: the server exited (${m.child.exitCode ?? m.child.signalCode}); ${m.mountpoint} unmounted\n`);
      return 1;
    }
    io.stderr.write(`unmounted ${m.mountpoint}\n`);
    return 0;
  },
};
