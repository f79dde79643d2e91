/**
 * The btier emulator: `btier_setup` (the 2.x command line: -f members -c create, -f alone to
 * re-assemble, -d to detach, -z sector size) and `/sys/block/sdtierX/tier/*`
 * (kernel/btier/btier_sysfs.c, Documentation/btier.txt of Mark Ruijter's btier).
 *
 * Modelled: /dev/tiercontrol missing without the module; members must be block devices of at
 * least 1 MiB, at most 24; create writes a btier magic on every member (any earlier signature is
 * gone), assembly without -c needs that magic ("invalid magic, not a tier device"); devices are
 * named sdtiera, sdtierb ... in assembly order (the lowest free letter); detach refuses a device
 * that something holds; the sysfs attributes with their parsing (migration_interval and
 * migration_policy answer ENOMSG to bad input, migration_enable/discard/migrate_verbose ignore
 * anything but 0/1, sequential_landing must name a tier), the defaults of btier.h
 * (migration_interval 14400 s, max_age 86400 s, hit_collecttime 43200 s).
 *
 * NOT modelled: I/O, block placement and migration (show_blockinfo reads "-1,0,0,0,0",
 * statistics read 0), the exact metadata overhead (the size is the members' sizes in whole MiB
 * less 2 MiB each), files as members (btier 1.x; 2.x refuses them as here), resize after a
 * member grew, the tiger-hash uuid (a stable hex string instead), btier_inspect.
 */
import { createHash } from 'node:crypto';
import { ErrnoError } from '../../../reconciler/core/errors.js';
import type { ExecResult } from '../../../reconciler/host/host.js';
import { flatFs, ro, rw, withParents, wo } from '../../sim/flat-tree.js';
import type { FlatTree } from '../../sim/flat-tree.js';
import type { BlockDevices } from '../../sim/block-devices.js';
import { canonical, kernelName } from '../../sim/block-devices.js';

const MiB = 1024 * 1024;
export const MAX_MEMBERS = 24;
export const DEFAULTS = { migration_interval: 14400, max_age: 86400, hit_collecttime: 43200 } as const;

export interface TierPolicy {
  max_age: number;
  hit_collecttime: number;
}

export interface TierDevice {
  members: string[];
  sectorSize: number;
  uuid: string;
  sizeBytes: number;
  migration_interval: number;
  migration_enable: number;
  sequential_landing: number;
  discard: number;
  discard_to_devices: number;
  migrate_verbose: number;
  policy: TierPolicy[];
}

export interface BtierState {
  loaded: boolean;
  devices: Record<string, TierDevice>;
  counter: number;
}

export const initialBtierState = (loaded = true): BtierState => ({ loaded, devices: {}, counter: 0 });

/** The magic btier_setup -c writes at the start of every member. */
interface MemberMagic {
  uuid: string;
  device: number;
  total: number;
}

class Exit {
  constructor(readonly code: number) {}
}

const USAGE = (name: string) =>
  `Create : ${name} -f datadev[:datadev:datadev] [-z sectorsize(512..4096) -c(create) -h(help)]\n` +
  '         datadevX can either be a path to a file or a blockdevice. No more then 16 devices are supported.\n' +
  '         specify the fastest storage first. E.g. -f /dev/ssd:/dev/sas:/dev/sata.\n' +
  `Detach : ${name} -d /dev/tier_device_name\n`;

const hex = (n: number) => `0x${n.toString(16)} (${n})`;

export class BtierEmulator {
  readonly fs: ReturnType<typeof flatFs>;

  constructor(
    readonly disks: BlockDevices,
    readonly st: BtierState = initialBtierState(),
    private readonly changed: () => void = () => {},
    /** who else holds a device open (an SCST device, another layer). */
    private readonly openBy: (path: string) => string | undefined = () => undefined,
  ) {
    this.fs = flatFs(() => this.tree());
  }

  static readonly commands = ['btier_setup'] as const;

  exec(argv: string[]): ExecResult {
    const out: string[] = [];
    const err: string[] = [];
    let exitCode = 0;
    try {
      this.setup(argv, out, err);
    } catch (e) {
      if (!(e instanceof Exit)) throw e;
      exitCode = e.code;
    }
    return { exitCode, stdout: out.join(''), stderr: err.join('') };
  }

  private setup(argv: string[], out: string[], err: string[]): void {
    const name = argv[0] ?? 'btier_setup';
    const die = (msg: string, to = err): never => {
      to.push(msg);
      throw new Exit(255);
    };
    if (argv.length < 3) die(USAGE(name), out);
    let create = false;
    let device: string | undefined;
    let members: string[] = [];
    let sectorSize = 0;
    let bad = false;
    for (let i = 1; i < argv.length; i++) {
      const a = argv[i] as string;
      const val = () => (a.length > 2 ? a.slice(2) : argv[++i]);
      if (a === '-c') create = true;
      else if (a.startsWith('-d')) device = val();
      else if (a.startsWith('-f')) members = (val() ?? '').split(':').filter(Boolean);
      else if (a.startsWith('-z')) {
        sectorSize = Number.parseInt(val() ?? '0', 10) || 0;
        if (sectorSize > 4096 || sectorSize < 0) sectorSize = 0;
        if (sectorSize % 512) {
          out.push('The sectorsize has to be a multiple of 512 bytes\n');
          bad = true;
        }
      } else if (a === '-h') die(USAGE(name), out);
      else die(`${name}: invalid option -- '${a.replace(/^-/, '')}'\n`);
    }
    if (!device && !members.length) {
      out.push('btier_setup requires at least one device to be specified with -f\n');
      bad = true;
    }
    out.push('\n');
    if (bad) throw new Exit(255);
    if (!this.st.loaded) die('Failed to open /dev/tiercontrol, is tier.ko loaded?\n');
    if (device) return this.detach(device, die);
    members = members.map((m) => canonical(this.disks, m));
    if (members.length > MAX_MEMBERS) die(`No more then ${MAX_MEMBERS} devices are supported\n`);
    const sizes: number[] = [];
    for (const m of members) {
      const d = this.disks.get(m);
      if (!d) return die(`Btier 2.0 no longer supports the use of files as backend devices: ${m}\n`);
      const raw = d.sizeBytes;
      const rnd = Math.floor(raw / MiB) * MiB;
      out.push(`Device size (raw)              : ${hex(raw)}\nDevice size (rnd)              : ${hex(rnd)}\n`);
      if (rnd < MiB) die(`Blockdevice ${m} with size ${hex(rnd).split(' ')[0]} is to small\n`);
      if (this.disks.holders(m).length || this.inUse(m) || this.openBy(m) !== undefined) die('ioctl TIER_SET_FDX failed on /dev/tiercontrol\nioctl TIER_SET_FD failed\n');
      if (!create) {
        const sig = this.disks.signature(m);
        if (sig?.type !== 'btier') die(`Datastore ${m} has invalid magic, not a tier device\nioctl TIER_SET_FD failed\n`);
      }
      sizes.push(rnd - 2 * MiB);
    }
    let uuid: string;
    if (create) {
      this.st.counter++;
      uuid = createHash('sha256').update(`btier:${this.st.counter}`).digest('hex').slice(0, 24);
      members.forEach((m, i) => this.disks.setSignature(m, { type: 'btier', uuid, offset: 0, data: { uuid, device: i, total: members.length } satisfies MemberMagic }));
    } else {
      const magics = members.map((m) => this.disks.signature(m)?.data as MemberMagic);
      uuid = magics[0]?.uuid ?? '';
      if (magics.some((g, i) => g.uuid !== uuid || g.device !== i || g.total !== members.length)) die('ioctl TIER_REGISTER failed on /dev/tiercontrol\nioctl TIER_REGISTER failed\n');
    }
    const total = sizes.reduce((a, b) => a + b, 0);
    out.push(`Total device size              : ${hex(total)}\n`);
    let n = 0;
    while (`sdtier${String.fromCharCode(97 + n)}` in this.st.devices) n++;
    const tier = `sdtier${String.fromCharCode(97 + n)}`;
    this.st.devices[tier] = {
      members, sectorSize: sectorSize || 512, uuid, sizeBytes: total,
      migration_interval: DEFAULTS.migration_interval, migration_enable: 1, sequential_landing: 0, discard: 0, discard_to_devices: 0, migrate_verbose: 0,
      policy: members.map(() => ({ max_age: DEFAULTS.max_age, hit_collecttime: DEFAULTS.hit_collecttime })),
    };
    this.disks.add({ path: `/dev/${tier}`, sizeBytes: total, logicalBlockSize: sectorSize || 512 }, members);
    this.changed();
  }

  private inUse(member: string): boolean {
    return Object.values(this.st.devices).some((d) => d.members.includes(member));
  }

  private detach(device: string, die: (msg: string) => never): void {
    const name = kernelName(device);
    if (!this.disks.get(device)) die(`No such device : ${device}\n`);
    if (!(name in this.st.devices)) die('ioctl TIER_DEREGISTER failed on /dev/tiercontrol\nioctl TIER_DEREGISTER failed\n');
    if (this.disks.holders(device).length) die(`Failed to deregister active device ${device}\nIs the device still mounted or in use by multipathd?\nioctl TIER_DEREGISTER failed\n`);
    delete this.st.devices[name];
    this.disks.remove(device);
    this.changed();
  }

  /** `/sys/block/sdtierX/tier/*` and the control device's `/sys/class/misc/tiercontrol` (relative to /sys). */
  tree(): FlatTree {
    const t: FlatTree = new Map();
    if (this.st.loaded) t.set('class/misc/tiercontrol/dev', ro(() => '10:60\n'));
    for (const [name, d] of Object.entries(this.st.devices)) this.deviceTree(t, name, d);
    return withParents(t);
  }

  private deviceTree(t: FlatTree, name: string, d: TierDevice): void {
    const base = `block/${name}/tier`;
    const enomsg = (f: string) => new ErrnoError('ENOMSG', { path: `${base}/${f}` });
    const set = (fn: (s: string) => void) => (s: string) => {
      fn(s);
      this.changed();
    };
    const flag = (k: 'migration_enable' | 'discard' | 'discard_to_devices' | 'migrate_verbose') =>
      rw(() => `${d[k]}\n`, set((s) => {
        if (s[0] === '0' || s[0] === '1') d[k] = Number(s[0]);
      }));
    t.set(`${base}/migration_enable`, flag('migration_enable'));
    t.set(`${base}/discard`, flag('discard'));
    t.set(`${base}/discard_to_devices`, flag('discard_to_devices'));
    t.set(`${base}/migrate_verbose`, flag('migrate_verbose'));
    t.set(`${base}/migration_interval`, rw(() => `${d.migration_interval}\n`, set((s) => {
      const m = /^\s*(\d+)/.exec(s);
      if (!m || Number(m[1]) <= 0) throw enomsg('migration_interval');
      d.migration_interval = Number(m[1]);
    })));
    t.set(`${base}/sequential_landing`, rw(() => `${d.sequential_landing}\n`, set((s) => {
      const m = /^\s*(-?\d+)/.exec(s);
      const v = Number(m?.[1]);
      if (!m || v < 0 || v >= d.members.length) throw enomsg('sequential_landing');
      d.sequential_landing = v;
    })));
    const row = (i: number, m: string, p: TierPolicy) => `${String(i).padStart(7)} ${kernelName(m).padStart(20)} ${String(p.max_age).padStart(15)} ${String(p.hit_collecttime).padStart(15)}\n`;
    t.set(`${base}/migration_policy`, rw(
      () => `${'tier'.padStart(7)} ${'device'.padStart(20)} ${'max_age'.padStart(15)} ${'hit_collecttime'.padStart(15)}\n${d.members.map((m, i) => row(i, m, d.policy[i] as TierPolicy)).join('')}\n`,
      set((s) => {
        const m = /^\s*(\d+)\s+(\S+)\s+(\d+)\s+(\d+)/.exec(s);
        const i = Number(m?.[1]);
        if (!m || i >= d.members.length || m[2] !== kernelName(d.members[i] as string)) throw enomsg('migration_policy');
        d.policy[i] = { max_age: Number(m[3]), hit_collecttime: Number(m[4]) };
      }),
    ));
    t.set(`${base}/resize`, rw(() => '0\n', () => {}));
    t.set(`${base}/size_in_blocks`, ro(() => `${Math.floor(d.sizeBytes / MiB)}\n`));
    t.set(`${base}/attacheddevices`, ro(() => `${d.members.length}\n`));
    t.set(`${base}/numreads`, ro(() => 'sequential 0, Random 0'));
    t.set(`${base}/numwrites`, ro(() => 'sequential 0, Random 0'));
    t.set(`${base}/uuid`, ro(() => `${d.uuid}\n`));
    t.set(`${base}/internals`, ro(() => 'iotype (normal or migration) : no activity\n'));
    t.set(`${base}/show_blockinfo`, rw(() => '-1,0,0,0,0\n', () => {}));
    t.set(`${base}/clear_statistics`, wo((s) => {
      if (s[0] !== '1') throw enomsg('clear_statistics');
    }));
    t.set(`${base}/migrate_block`, wo(() => {}));
    t.set(`${base}/device_usage`, ro(() => `${['TIER', 'DEVICE', 'SIZE MB', 'ALLOCATED MB'].map((h, i) => (i === 0 ? h.padStart(7) : h.padStart(i === 1 ? 20 : 15))).join(' ')}\n${d.members.map((m, i) => `${String(i).padStart(7)} ${kernelName(m).padStart(20)} ${String(Math.floor((this.disks.get(m)?.sizeBytes ?? 0) / MiB) - 2).padStart(15)} ${'0'.padStart(15)}\n`).join('')}\n`));
    for (const m of d.members) t.set(`block/${name}/slaves/${kernelName(m)}`, { type: 'link', target: `../../${kernelName(m)}` });
  }
}
