/** The LVM2 driver descriptor (DESIGN §5): VGs, LVs and lvmcache pools through one lvm fullreport. */
import type { Driver } from '../../reconciler/core/driver.js';
import { classify } from './classify.js';
import { compare } from './compare.js';
import { desired } from './desired.js';
import { importModel } from './import.js';
import { KINDS } from './kinds.js';
import { managedKinds, prune, stage, unavailable } from './lifecycle.js';
import { observe } from './observe.js';
import { ops } from './ops.js';
import { blockDevices, cascades, grows } from './stack.js';

export const lvmDriver = {
  name: 'lvm',
  kinds: KINDS,
  observe,
  desired,
  managedKinds,
  compare,
  classify,
  stage,
  ops,
  prune,
  cascades,
  unavailable,
  blockDevices,
  grows,
  importModel,
} satisfies Driver;
