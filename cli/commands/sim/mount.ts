import { join, resolve } from 'node:path';
import { mountFs } from '../../../drivers/sim/fuse/mount.js';
import type { SimAction } from './action.js';

/** Resolves on SIGINT/SIGTERM or when the server exits on its own. */
function untilStopped(child: NodeJS.EventEmitter): Promise<'signal' | 'exit'> {
  return new Promise((res) => {
    const onSig = () => done('signal');
    const onExit = () => done('exit');
    function done(why: 'signal' | 'exit') {
      process.off('SIGINT', onSig);
      process.off('SIGTERM', onSig);
      child.off('exit', onExit);
      res(why);
    }
    process.on('SIGINT', onSig);
    process.on('SIGTERM', onSig);
    child.on('exit', onExit);
  });
}

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
    const m = await mountFs({ source: { sim }, mountpoint: resolve(io.cwd, args[1]), background, logFile: log });
    if (background) {
      io.stderr.write(`mounted ${sim} at ${m.mountpoint}; server pid on stdout${log ? `, log in ${log}` : ''}\n`);
      io.stdout.write(`${m.pid}\n`);
      return 0;
    }
    io.stderr.write(`mounted ${sim} at ${m.mountpoint} (server pid ${m.pid}); Ctrl-C unmounts\n`);
    const why = await untilStopped(m.child);
    await m.unmount();
    if (why === 'exit') {
      io.stderr.write(`sanform sim mount: the server exited (${m.child.exitCode ?? m.child.signalCode}); ${m.mountpoint} unmounted\n`);
      return 1;
    }
    io.stderr.write(`unmounted ${m.mountpoint}\n`);
    return 0;
  },
};
