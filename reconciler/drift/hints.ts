/**
 * What the drift classifier needs to know about addresses, without importing any driver: which
 * objects are hardware ports, and which collection ("all targets of one target driver") an
 * object belongs to, so "every object of the collection vanished at once" reads as the kernel.
 * The defaults follow the SCST address grammar (DESIGN §3):
 * `scst/target/<target driver>/<target name>/...`.
 */
export interface DriftHints {
  /** the target driver of an address whose objects are hardware ports (never created by sanform). */
  isHardware(address: string, status?: Record<string, unknown>): boolean;
  /** the collection an address belongs to (`scst/target/iscsi`), if any. */
  collection(address: string): string | undefined;
  /** the top object (a target) an address lives under, if any. */
  owner(address: string): string | undefined;
  /**
   * When `field` of `address` is a role that a failover moves between the members of a set (the
   * ALUA states of one device group's target groups): the set, the value of the member that
   * serves (ALUA `active`), and the values that mean a role change is under way.
   */
  role(address: string, field: string): { set: string; primary: unknown; transient: readonly unknown[] } | undefined;
}

/** SCST target drivers whose targets are created by hardware (FC, SRP, FCoE ports). */
export const HARDWARE_TARGET_DRIVERS: ReadonlySet<string> = new Set(['qla2x00t', 'ib_srpt', 'srpt', 'fcst', 'isert_scst_hw']);

const segs = (address: string): string[] => address.split('/');

export const scstHints: DriftHints = {
  isHardware(address, status) {
    if (status?.hardware === true) return true;
    const s = segs(address);
    return s[0] === 'scst' && s[1] === 'target' && HARDWARE_TARGET_DRIVERS.has(s[2] ?? '');
  },
  collection(address) {
    const s = segs(address);
    return s[0] === 'scst' && s[1] === 'target' && s[2] ? `scst/target/${s[2]}` : undefined;
  },
  owner(address) {
    const s = segs(address);
    return s[0] === 'scst' && s[1] === 'target' && s[3] ? `scst/target/${s[2]}/${s[3]}` : undefined;
  },
  role(address, field) {
    // scst/alua/<device group>/tg/<target group>: its `state`
    const s = segs(address);
    return s[0] === 'scst' && s[1] === 'alua' && s[3] === 'tg' && s.length === 5 && field === 'attributes.state'
      ? { set: `scst/alua/${s[2]}`, primary: 'active', transient: ['transitioning'] }
      : undefined;
  },
};
