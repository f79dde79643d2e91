/**
 * What conformance cases use: the environment type and small wrappers over the Host interface.
 */
import type { Host } from '../../reconciler/host/host.js';
import { SCST_ROOT } from '../../reconciler/host/host.js';
import { isErrno } from '../../reconciler/core/errors.js';
import type { SimControl } from '../../drivers/sim/index.js';

/** What a case gets: the host under test and the control interface. */
export interface Env {
  host: Host;
  control: SimControl;
}

export interface Case {
  /** starts with the section it checks, e.g. "§2.5 add of an unknown device is EINVAL". */
  title: string;
  run(env: Env): Promise<void>;
}

export const abs = (rel: string): string => (rel ? `${SCST_ROOT}/${rel}` : SCST_ROOT);
export const mgmt = (env: Env, rel: string, cmd: string): Promise<void> => env.host.sysfs.mgmt(abs(rel), cmd);
export const put = (env: Env, rel: string, v: string): Promise<void> => env.host.sysfs.writeAttr(abs(rel), v);
export const read = (env: Env, rel: string): Promise<string> => env.host.sysfs.read(abs(rel));
export const list = (env: Env, rel: string): Promise<string[]> => env.host.sysfs.list(abs(rel));
export const exists = (env: Env, rel: string): Promise<boolean> => env.host.sysfs.exists(abs(rel));
export const readlink = (env: Env, rel: string): Promise<string> => env.host.sysfs.readlink(abs(rel));

/** The errno a promise rejects with, or 'OK'. Anything but an ErrnoError is rethrown. */
export async function errnoOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    if (isErrno(e)) return e.errno;
    throw e;
  }
}

export const IQN = 'iqn.2026-01.test.example:t1';
export const IQN2 = 'iqn.2026-01.test.example:t2';
export const T = `targets/iscsi/${IQN}`;

/** An iSCSI target with one nullio device at LUN 0 (common starting point). */
export async function iscsiWithLun(env: Env, dev = 'n0'): Promise<void> {
  await mgmt(env, 'handlers/vdisk_nullio/mgmt', `add_device ${dev}`);
  await mgmt(env, 'targets/iscsi/mgmt', `add_target ${IQN}`);
  await mgmt(env, `${T}/luns/mgmt`, `add ${dev} 0`);
}
