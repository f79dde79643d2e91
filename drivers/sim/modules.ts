/**
 * SCST's kernel modules and what each one registers. A device handler's `handlers/<name>/` and a
 * target driver's `targets/<name>/` exist only while the module that registers it is loaded:
 * `__scst_register_dev_driver` and `__scst_register_virtual_dev_driver` (scst_main.c) create the
 * handler's directory through `scst_devt_sysfs_create`, `__scst_register_target_template`
 * creates the driver's through `scst_tgtt_sysfs_create`, and each module registers from its
 * `module_init` (scst_vdisk.c: the four vdisk handlers; scst_disk.c: `dev_disk` and
 * `dev_disk_perf`; scst_cdrom.c: `dev_cdrom`). The copy manager is part of the core module
 * (scst_copy_mgr.c, `scst_cm_init`): it is always there.
 *
 * Used by the emulator (which directories exist) and by the SCST driver (naming the module a file
 * needs when its handler or driver is missing).
 */

/** module -> the handlers or target drivers it registers. */
export const SCST_MODULES: Readonly<Record<string, { handlers?: readonly string[]; drivers?: readonly string[] }>> = {
  scst_vdisk: { handlers: ['vdisk_fileio', 'vdisk_blockio', 'vdisk_nullio', 'vcdrom'] },
  scst_disk: { handlers: ['dev_disk', 'dev_disk_perf'] },
  scst_cdrom: { handlers: ['dev_cdrom'] },
  scst_tape: { handlers: ['dev_tape', 'dev_tape_perf'] },
  scst_changer: { handlers: ['dev_changer'] },
  scst_modisk: { handlers: ['dev_modisk', 'dev_modisk_perf'] },
  scst_processor: { handlers: ['dev_processor'] },
  scst_raid: { handlers: ['dev_raid'] },
  'iscsi-scst': { drivers: ['iscsi'] },
  qla2x00tgt: { drivers: ['qla2x00t'] },
  ib_srpt: { drivers: ['ib_srpt'] },
  fcst: { drivers: ['fcst'] },
  scst_local: { drivers: ['scst_local'] },
};

/**
 * What an ESOS appliance loads at boot: the SCST core with every device handler and target driver
 * module (ESOS builds them all as modules and its rc.scst loads them); the default of a hardware
 * profile.
 */
export const ESOS_MODULES: readonly string[] = Object.keys(SCST_MODULES);

/** the module that registers a handler (`vdisk_fileio` -> `scst_vdisk`), if SCST has one by that name. */
export function moduleOfHandler(handler: string): string | undefined {
  return Object.keys(SCST_MODULES).find((m) => SCST_MODULES[m].handlers?.includes(handler));
}

/** the module that registers a target driver (`iscsi` -> `iscsi-scst`); undefined for the copy manager. */
export function moduleOfDriver(driver: string): string | undefined {
  return Object.keys(SCST_MODULES).find((m) => SCST_MODULES[m].drivers?.includes(driver));
}

/** true when `name` (a handler or target driver) exists with these modules loaded. */
export function registered(modules: readonly string[], name: string, what: 'handler' | 'driver'): boolean {
  const m = what === 'handler' ? moduleOfHandler(name) : moduleOfDriver(name);
  return m === undefined ? what === 'driver' : modules.includes(m);
}
