/**
 * Things that happen to a machine behind sanform's back, for tests and the demo: initiators
 * logging in and out, the iSCSI daemon stopping and starting, hardware ports unplugged and
 * plugged back, and the async / debug-EAGAIN switches of the sysfs work queue.
 */
import type { DriverName, ScstState } from './state.js';
import { fail } from './lexer.js';
import { login } from './groups.js';
import { DRIVER_INFO, newTarget, removeTarget } from './targets.js';

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const HW_DRIVERS: DriverName[] = ['qla2x00t', 'ib_srpt', 'fcst'];

export class Control {
  constructor(
    private readonly st: ScstState,
    private readonly touch: () => void,
  ) {}

  /** An initiator logs in to an enabled target; the session is named after the initiator. */
  login(driver: string, target: string, initiator: string): void {
    const ds = (this.st.drivers as Record<string, ScstState['drivers']['iscsi']>)[driver];
    if (!ds || driver === 'copy_manager' || !has(ds.targets, target)) fail('EINVAL', `no target ${driver}/${target}`);
    if (driver === 'iscsi' && !this.st.iscsid) fail('EPERM', 'iscsi-scstd is not running');
    const t = ds.targets[target];
    if (DRIVER_INFO[driver as DriverName].enable && !t.enabled) fail('ENOTCONN', `target ${target} is disabled`);
    login(this.st, t, initiator);
    this.touch();
  }

  logout(driver: string, target: string, initiator: string): void {
    const t = (this.st.drivers as Record<string, ScstState['drivers']['iscsi']>)[driver]?.targets[target];
    if (!t || !has(t.sessions, initiator)) fail('EINVAL', `no session ${initiator} on ${driver}/${target}`);
    delete t.sessions[initiator];
    this.touch();
  }

  /** Stopping the daemon deletes every iSCSI target and the daemon-created attributes (§5.1). */
  iscsiDaemon(state: 'up' | 'down'): void {
    if (state === 'down') {
      for (const name of Object.keys(this.st.drivers.iscsi.targets)) removeTarget(this.st, 'iscsi', name);
      const { trace_level } = this.st.drivers.iscsi.attrs;
      this.st.drivers.iscsi.attrs = trace_level === undefined ? {} : { trace_level };
      this.st.drivers.iscsi.multi = {};
    }
    this.st.iscsid = state === 'up';
    this.touch();
  }

  setAsync(on: boolean): void {
    this.st.async.on = on;
    this.touch();
  }

  setDebugEagain(on: boolean): void {
    this.st.async.debugEagain = on;
    this.touch();
  }

  private portDriver(port: string): DriverName {
    const hw = this.st.hardware;
    if (hw.fcPorts.some((p) => p.wwpn === port)) return 'qla2x00t';
    if (hw.srpPorts.some((p) => p.gid === port)) return 'ib_srpt';
    if (hw.fcoePorts.some((p) => p.wwpn === port)) return 'fcst';
    return fail('EINVAL', `no hardware port ${port}`);
  }

  /** The port disappears with its target and configuration (and NPIV targets on it). */
  unplug(port: string): void {
    const drv = this.portDriver(port);
    if (this.st.unplugged.includes(port)) fail('EINVAL', `${port} is already unplugged`);
    if (drv === 'qla2x00t')
      for (const [n, t] of Object.entries(this.st.drivers.qla2x00t.targets)) if (t.npiv?.parentHost === port) removeTarget(this.st, drv, n);
    if (has(this.st.drivers[drv].targets, port)) removeTarget(this.st, drv, port);
    this.st.unplugged.push(port);
    this.touch();
  }

  /** The port comes back as a fresh, unconfigured hardware target. */
  plug(port: string): void {
    const drv = this.portDriver(port);
    if (!this.st.unplugged.includes(port)) fail('EINVAL', `${port} is not unplugged`);
    this.st.unplugged = this.st.unplugged.filter((p) => p !== port);
    this.st.drivers[drv].targets[port] = newTarget(true);
    this.touch();
  }
}

export const HARDWARE_DRIVERS = HW_DRIVERS;
