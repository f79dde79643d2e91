import { posix, resolve } from 'node:path';
import { openSimHost } from '../../../drivers/sim/index.js';
import type { SimControl, SimHost } from '../../../drivers/sim/index.js';
import type { SimAction } from './action.js';
import type { ExecResult } from '../../../reconciler/host/host.js';

const SCST_ROOT = '/sys/kernel/scst_tgt';
/** `targets/iscsi/mgmt` means /sys/kernel/scst_tgt/targets/iscsi/mgmt; absolute paths stay as given. */
const scstPath = (p: string): string => (p.startsWith('/') ? p : posix.join(SCST_ROOT, p));

/** `args`: how many words follow the action (-1: any number, at least one). */
type Ctl = { args: number; run: (c: SimControl, a: string[], host: SimHost) => Promise<void | ExecResult> | void };
const onOff = (v: string): boolean => {
  if (v !== 'on' && v !== 'off') throw new Error(`expected on|off, got ${v}`);
  return v === 'on';
};

const CTL: Record<string, Ctl> = {
  login: { args: 3, run: (c, [driver, target, initiator]) => c.login({ driver, target, initiator }) },
  logout: { args: 3, run: (c, [driver, target, initiator]) => c.logout({ driver, target, initiator }) },
  iscsid: {
    args: 1,
    run: (c, [s]) => {
      if (s !== 'up' && s !== 'down') throw new Error(`expected up|down, got ${s}`);
      return c.iscsiDaemon(s);
    },
  },
  unplug: { args: 1, run: (c, [p]) => c.unplug(p) },
  plug: { args: 1, run: (c, [p]) => c.plug(p) },
  write: { args: 2, run: (c, [p, v]) => c.write(scstPath(p), v) },
  async: { args: 1, run: (c, [v]) => c.asyncMode(onOff(v)) },
  'debug-eagain': { args: 1, run: (c, [v]) => c.debugEagain(onOff(v)) },
  'btrfs-mount': { args: 1, run: (_c, [dir], host) => host.btrfs.mount(dir!) },
  exec: { args: -1, run: (_c, argv, host) => host.exec(argv) },
};

export const ctl: SimAction = {
  name: 'ctl',
  summary: 'act on the emulated machine behind sanform\'s back',
  usage: [
    'sanform sim ctl DIR ACTION ...',
    '  login DRIVER TARGET INITIATOR    an initiator logs in (the target must be enabled)',
    '  logout DRIVER TARGET INITIATOR   it logs out',
    '  iscsid up|down                   start or stop iscsi-scstd (down deletes all iSCSI targets)',
    '  unplug PORT | plug PORT          an FC/SRP/FCoE port disappears / comes back unconfigured',
    '  write PATH VALUE                 one raw write to /sys/kernel/scst_tgt/PATH (or an absolute path under it)',
    '  async on|off                     sysfs work returns EAGAIN and completes after a few polls',
    '  debug-eagain on|off              every write returns EAGAIN',
    '  btrfs-mount DIR                  DIR (created if missing) becomes an emulated btrfs file system',
    '  exec COMMAND ARG...              run a command the emulated machine has (btrfs subvolume create DIR/NAME, ...)',
  ].join('\n'),
  async run(args, _values, io) {
    const [dir, action, ...rest] = args;
    const c = action ? CTL[action] : undefined;
    if (!dir || !c || (c.args < 0 ? rest.length === 0 : rest.length !== c.args)) {
      io.stderr.write(`sanform sim ctl: usage:\n${ctl.usage}\n`);
      return 1;
    }
    const host = await openSimHost(resolve(io.cwd, dir));
    // paths the machine's commands are given are taken from where sanform runs
    const words = action === 'btrfs-mount' ? rest.map((p) => resolve(io.cwd, p)) : rest;
    const r = await c.run(host.control, words, host);
    if (!r) return 0;
    io.stdout.write(r.stdout);
    io.stderr.write(r.stderr);
    return r.exitCode;
  },
};
