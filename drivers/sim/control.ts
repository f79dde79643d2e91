/**
 * SimControl: what tests and the demo do to an emulated machine behind sanform's back.
 */
import type { DiskAction, EmuOp } from './ops.js';
import { isStackPath, stackRel } from './stack/kernel.js';

export interface SessionRef {
  driver: string;
  target: string;
  /** initiator name (IQN, WWPN, GID...); the session is named after it. */
  initiator: string;
}

export interface SimControl {
  login(s: SessionRef): Promise<void>;
  logout(s: SessionRef): Promise<void>;
  /** iscsi-scstd up or down; down deletes every iSCSI target (§5.1). */
  iscsiDaemon(state: 'up' | 'down'): Promise<void>;
  /** work-queue writes return EAGAIN and complete after a few polls of last_sysfs_mgmt_res. */
  asyncMode(on: boolean): Promise<void>;
  /** every write returns EAGAIN (CONFIG_SCST_DEBUG_SYSFS_EAGAIN). */
  debugEagain(on: boolean): Promise<void>;
  /** an FC/SRP/FCoE port disappears (its target and configuration go with it). */
  unplug(port: string): Promise<void>;
  /** the port comes back as a fresh unconfigured target. */
  plug(port: string): Promise<void>;
  /**
   * one raw write(2) behind sanform's back; `path` is absolute: /sys/kernel/scst_tgt/... (SCST),
   * or a storage layer's file (/sys/fs/bcache/register, /sys/block/bcache0/bcache/detach ...).
   */
  write(path: string, value: string): Promise<void>;
  /**
   * a disk fails (`fail`: md marks it faulty), is pulled (`unplug`: gone, LVM reports its PV
   * missing), comes back (`plug`, with its content) or grows (`resize`, with `sizeBytes`).
   */
  disk(action: DiskAction, path: string, sizeBytes?: number): Promise<void>;
}

export class SimControlImpl implements SimControl {
  constructor(private readonly run: (op: EmuOp) => unknown) {}
  async login(s: SessionRef): Promise<void> {
    this.run({ k: 'ctl', name: 'login', args: [s.driver, s.target, s.initiator] });
  }
  async logout(s: SessionRef): Promise<void> {
    this.run({ k: 'ctl', name: 'logout', args: [s.driver, s.target, s.initiator] });
  }
  async iscsiDaemon(state: 'up' | 'down'): Promise<void> {
    this.run({ k: 'ctl', name: 'iscsiDaemon', args: [state] });
  }
  async asyncMode(on: boolean): Promise<void> {
    this.run({ k: 'ctl', name: 'setAsync', args: [on] });
  }
  async debugEagain(on: boolean): Promise<void> {
    this.run({ k: 'ctl', name: 'setDebugEagain', args: [on] });
  }
  async unplug(port: string): Promise<void> {
    this.run({ k: 'ctl', name: 'unplug', args: [port] });
  }
  async plug(port: string): Promise<void> {
    this.run({ k: 'ctl', name: 'plug', args: [port] });
  }
  async disk(action: DiskAction, path: string, sizeBytes?: number): Promise<void> {
    this.run({ k: 'disk', action, path, ...(sizeBytes !== undefined ? { sizeBytes } : {}) });
  }
  async write(path: string, value: string): Promise<void> {
    if (isStackPath(path)) {
      this.run({ k: 'stack', op: 'write', path: stackRel(path), data: value });
      return;
    }
    const root = '/sys/kernel/scst_tgt';
    if (path !== root && !path.startsWith(`${root}/`)) throw new Error(`not an emulated path: ${path}`);
    this.run({ k: 'write', path: path.slice(root.length + 1), data: value });
  }
}
