/**
 * The LVM2 emulator: pvcreate, pvremove, vgcreate, vgextend, vgreduce, vgremove, lvcreate
 * (linear, `--type cache-pool`, `-s` snapshots), lvextend, lvreduce, lvremove, lvconvert
 * (`--type cache --cachepool`, `--splitcache`, `--uncache`), lvchange (`--cachemode`,
 * `--cachepolicy`, `-a y|n`) and `lvm fullreport --reportformat json`, each also as `lvm TOOL`,
 * over the emulated disks of drivers/sim/stack. Active LVs are block devices `/dev/dm-N` with the
 * links `/dev/VG/LV` and `/dev/mapper/VG-LV` (dashes doubled), slaves on their PVs, and
 * `/sys/block/dm-N/dm/{name,uuid}`. Registered as a SimLayer in drivers/sim/stack/layers.ts.
 *
 * Modelled (checked against real lvm2 where lvm2 runs here without device-mapper, see
 * real-lvm.test.ts): lvm2's name rules (characters, reserved prefixes and suffixes), extents
 * (4 MiB default, `vgcreate -s`), size rounding with lvm2's messages, insufficient free extents,
 * a PV already in a VG, `pvcreate` over another signature (refused unless `-y`, named like lvm2),
 * a VG or LV that exists or not, lvextend/lvreduce size rules, cache pools (data, metadata and
 * the VG's `lvol0_pmspare`; chunk size doubled above 1,000,000 chunks), exit codes 3 (command
 * line) and 5 (failed), prompts answered `n` (no terminal: `-y`/`-f` needed, as sanform passes).
 * Emulated only (real lvm2 needs device-mapper for them): activation (every LV is active unless
 * created `-an`), `lvremove`/`lvchange -an` refused while the LV is held (holders, an SCST
 * device), attaching a cache pool (renamed `POOL_cpool`, the LV's data moved to `LV_corig`),
 * cache mode and policy changes, COW snapshots (`-s`: origin and snapshot roles, the snapshot's
 * device the origin's size, origin cannot shrink, removing the origin needs `-f` and takes its
 * snapshots), a PV whose disk is pulled (`[unknown]`, `pv_missing`, partial VG and LVs).
 *
 * NOT modelled: data (no I/O, no zeroing, no COW fill: snap_percent stays 0, dirty blocks 0),
 * lvm2's exact allocation policy (first fit over the PVs in VG order; real lvm2 agrees on
 * simple layouts), striped/mirrored/raid/thin/vdo/writecache/cachevol LVs, converting a plain LV
 * into a cache pool, `--poolmetadatasize`/`--chunksize`, `--cachesettings`, snapshot merge,
 * lvrename/vgrename, pvresize/pvmove, vgchange, tags, profiles, locking, lvm.conf and filters,
 * pvs/vgs/lvs (use fullreport), report fields beyond the ones report.ts prints, `-o`/`--configreport`
 * (always the full emulated field set), the lvm shell, metadata backups and archives,
 * hidden sub-LVs' own dm devices (an active cached LV's slaves are its PVs directly), lv_attr's
 * open column for an LV only SCST holds (block holders count; the SCST check costs too much per LV).
 */
import type { ExecResult } from '../../../reconciler/host/host.js';
import { ro, type FlatTree } from '../../sim/flat-tree.js';
import type { SimLayer } from '../../sim/stack/layer.js';
import { LVM_TOOLS, Lvm } from './lvm.js';
import { dmName, initialLvmState, type LvmState } from './state.js';

export { Lvm, LVM_TOOLS, lvmUuid } from './lvm.js';
export { dmName } from './state.js';
export type { LvmState, LvmVg, LvmLv, LvmPv } from './state.js';

export const lvmLayer: SimLayer = {
  name: 'lvm',
  commands: ['lvm', ...LVM_TOOLS],
  init: initialLvmState,
  exec(env, argv): ExecResult {
    return new Lvm(env).run(argv);
  },
  tree(env): FlatTree {
    const t: FlatTree = new Map();
    for (const vg of Object.values(env.state<LvmState>().vgs)) {
      for (const lv of Object.values(vg.lvs)) {
        if (!lv.active) continue;
        const dm = `sys/block/dm-${lv.minor}/dm`;
        t.set(`${dm}/name`, ro(() => `${dmName(vg.name, lv.name)}\n`));
        t.set(`${dm}/uuid`, ro(() => `LVM-${vg.uuid.replaceAll('-', '')}${lv.uuid.replaceAll('-', '')}\n`));
        t.set(`${dm}/suspended`, ro(() => '0\n'));
      }
    }
    return t;
  },
};
