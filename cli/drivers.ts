/** The drivers the CLI loads, in layer order (bottom first). */
import type { Driver } from '../reconciler/core/driver.js';
import { scstDriver } from '../drivers/scst/index.js';
import { mdDriver } from '../drivers/md/index.js';
import { lvmDriver } from '../drivers/lvm/index.js';
import { drbdDriver } from '../drivers/drbd/index.js';
import { pacemakerDriver } from '../drivers/pacemaker/index.js';
import { bcacheDriver } from '../drivers/bcache/index.js';
import { btierDriver } from '../drivers/btier/index.js';

export const drivers: readonly Driver[] = [mdDriver, lvmDriver, pacemakerDriver, drbdDriver, bcacheDriver, btierDriver, scstDriver];
