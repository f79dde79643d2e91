/**
 * The md RAID emulator: `mdadm` (mdadm.ts), `/proc/mdstat` and `/sys/block/mdN/md/*` over the
 * emulated disks of drivers/sim/stack. Registered as a SimLayer in drivers/sim/stack/layers.ts.
 *
 * Modelled: create (levels, member counts, chunk, metadata 1.x, --name, --uuid, spares; members
 * must exist and not be held or open; a linux_raid_member signature on each member), stop (EBUSY
 * while held: an LV, bcache, an open SCST device), zero-superblock, manage mode --add/--fail/
 * --remove (a spare fills a missing slot at once), --grow --raid-devices (needs spares; raid1
 * may shrink), --grow --chunk, --grow --size=max, --detail --export (one block per array, in the
 * order given) and --detail --scan, /proc/mdstat, md sysfs (level, raid_disks, chunk_size,
 * metadata_version, array_state, degraded, sync_action, component_size, dev-X/{state,slot}),
 * a failed member (`disk fail`) going faulty, a pulled member leaving the array degraded.
 *
 * NOT modelled: real mdadm's exact wording beyond the messages used here (mdadm cannot run
 * without the md driver on this machine, so there is no oracle), resync/recovery/reshape time
 * (they finish at once; sync_action reads `idle`), assembly (--assemble, --scan at boot),
 * write-intent bitmaps, --level changes by --grow, external metadata (0.90, ddf, imsm), --force,
 * interactive prompts (sanform always passes --run), partitionable arrays, journal devices.
 */
import type { ExecResult } from '../../../reconciler/host/host.js';
import { link, ro, rw, type FlatTree } from '../../sim/flat-tree.js';
import { kernelName } from '../../sim/stack/disks.js';
import type { SimLayer, StackEnv } from '../../sim/stack/layer.js';
import { Mdadm } from './mdadm.js';
import { active, arraySize, degraded, initialMdState, type MdState } from './state.js';

export { mdUuid } from './mdadm.js';
export type { MdState, MdArray } from './state.js';

function mdstat(st: MdState): string {
  const arrays = Object.values(st.arrays).sort((a, b) => (a.kernel < b.kernel ? 1 : -1));
  const pers = [...new Set(arrays.map((a) => `[${a.level}]`))].join(' ');
  const lines = [`Personalities : ${pers}${pers ? ' ' : ''}`];
  for (const a of arrays) {
    const members = [...a.members]
      .reverse()
      .map((m) => `${kernelName(m.path)}[${m.role === 'spare' ? a.members.indexOf(m) : m.role}]${m.faulty ? '(F)' : m.role === 'spare' ? '(S)' : ''}`)
      .join(' ');
    const slots = [...Array(a.raidDisks).keys()].map((i) => (a.members.some((m) => m.role === i && !m.faulty) ? 'U' : '_')).join('');
    const blocks = Math.floor((arraySize(a) / 1024));
    const chunk = a.chunk ? ` ${a.chunk / 1024}k chunk` : '';
    lines.push(`${a.kernel} : active ${a.level} ${members}`);
    lines.push(`      ${blocks} blocks super ${a.metadata}${chunk} [${a.raidDisks}/${active(a).length}] [${slots}]`);
    lines.push('      ');
  }
  lines.push('unused devices: <none>');
  return `${lines.join('\n')}\n`;
}

function tree(env: StackEnv): FlatTree {
  const st = env.state<MdState>();
  const t: FlatTree = new Map();
  t.set('proc/mdstat', ro(() => mdstat(st)));
  for (const a of Object.values(st.arrays)) {
    const md = `sys/block/${a.kernel}/md`;
    t.set(`${md}/level`, ro(() => `${a.level}\n`));
    t.set(`${md}/raid_disks`, ro(() => `${a.raidDisks}\n`));
    t.set(`${md}/chunk_size`, ro(() => `${a.chunk}\n`));
    t.set(`${md}/metadata_version`, ro(() => `${a.metadata}\n`));
    t.set(`${md}/array_state`, ro(() => 'clean\n'));
    t.set(`${md}/degraded`, ro(() => `${degraded(a)}\n`));
    t.set(`${md}/sync_action`, rw(() => `${a.syncAction}\n`, () => undefined));
    t.set(`${md}/component_size`, ro(() => `${a.componentSize / 1024}\n`));
    for (const m of a.members) {
      const k = kernelName(m.path);
      t.set(`${md}/dev-${k}/state`, ro(() => `${m.faulty ? 'faulty' : m.role === 'spare' ? 'spare' : 'in_sync'}\n`));
      t.set(`${md}/dev-${k}/slot`, ro(() => `${m.role === 'spare' || m.faulty ? 'none' : m.role}\n`));
      t.set(`${md}/dev-${k}/block`, link(`../../../${k}`));
      if (typeof m.role === 'number' && !m.faulty) t.set(`${md}/rd${m.role}`, link(`dev-${k}`));
    }
  }
  return t;
}

export const mdLayer: SimLayer = {
  name: 'md',
  commands: ['mdadm'],
  init: initialMdState,
  exec(env, argv): ExecResult {
    return new Mdadm(env, env.hostname).run(argv.slice(1));
  },
  tree,
  openBy(env, path) {
    const a = Object.values(env.state<MdState>().arrays).find((x) => x.members.some((m) => m.path === path && !m.faulty));
    return a ? `md array ${a.kernel}` : undefined;
  },
  lost(env, path, how) {
    const st = env.state<MdState>();
    for (const a of Object.values(st.arrays)) {
      const m = a.members.find((x) => x.path === path);
      if (!m) continue;
      if (how === 'fail') m.faulty = true;
      else a.members = a.members.filter((x) => x !== m);
      const dev = env.disks.record(`/dev/${a.kernel}`);
      if (dev) dev.slaves = active(a).map((x) => x.path);
      env.changed();
    }
  },
};
