import { posix, resolve } from 'node:path';
import { openSimHost } from '../../../drivers/sim/index.js';
import { failover, holdResync, setLink, setNodeMode, splitBrain } from '../../../drivers/sim/pair.js';
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
  disk: {
    args: 2,
    run: (c, [action, path]) => {
      if (action !== 'fail' && action !== 'unplug' && action !== 'plug') throw new Error(`expected fail|unplug|plug, got ${action}`);
      return c.disk(action, path!);
    },
  },
  exec: { args: -1, run: (_c, argv, host) => host.exec(argv) },
};

/** Actions on a linked pair (sanform sim link): they act on DIR's replication link and cluster. */
type PairCtl = { args: number; run: (dir: string, a: string[]) => Promise<void> | void };
const PAIR: Record<string, PairCtl> = {
  link: {
    args: 1,
    run: (d, [s]) => {
      if (s !== 'cut' && s !== 'restore') throw new Error(`expected cut|restore, got ${s}`);
      setLink(d, s === 'restore');
    },
  },
  failover: { args: 0, run: async (d) => void (await failover(d)) },
  resync: {
    args: 1,
    run: (d, [s]) => {
      if (s !== 'hold' && s !== 'release') throw new Error(`expected hold|release, got ${s}`);
      holdResync(d, s === 'hold');
    },
  },
  'split-brain': { args: 2, run: (d, [res, v]) => splitBrain(d, res!, onOff(v!)) },
  standby: { args: 2, run: (d, [n, v]) => setNodeMode(d, n!, 'standby', onOff(v!)) },
  maintenance: { args: 2, run: (d, [n, v]) => setNodeMode(d, n!, 'maintenance', onOff(v!)) },
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
    '  write PATH VALUE                 one raw write to /sys/kernel/scst_tgt/PATH (or an absolute path under it,',
    '                                   or a storage layer\'s file: /sys/fs/bcache/register, /sys/block/NAME/...)',
    '  disk fail|unplug|plug DEV        a disk fails (md marks it faulty), is pulled, or comes back with its content',
    '  async on|off                     sysfs work returns EAGAIN and completes after a few polls',
    '  debug-eagain on|off              every write returns EAGAIN',
    '  btrfs-mount DIR                  DIR (created if missing) becomes an emulated btrfs file system',
    '  exec COMMAND ARG...              run a command the emulated machine has (btrfs subvolume create DIR/NAME, ...)',
    'on a linked pair (sanform sim link A B):',
    '  link cut|restore                 the DRBD replication link goes down / comes back',
    '  failover                         Pacemaker moves the promoted role: DRBD roles and ALUA states swap',
    '  resync hold|release              a DRBD resync stops advancing / goes on',
    '  split-brain RES on|off           DRBD detects a split brain on RES (StandAlone)',
    '  standby NODE on|off              the node goes to standby (the promoted role leaves it first)',
    '  maintenance NODE on|off          the node goes to maintenance mode',
  ].join('\n'),
  async run(args, _values, io) {
    const [dir, action, ...rest] = args;
    const p = action ? PAIR[action] : undefined;
    if (dir && p && rest.length === p.args) {
      await p.run(resolve(io.cwd, dir), rest);
      return 0;
    }
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
