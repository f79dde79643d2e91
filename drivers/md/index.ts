/** The md RAID driver descriptor (DESIGN §5). */
import type { Driver } from '../../reconciler/core/driver.js';
import { classify } from './classify.js';
import { compare } from './compare.js';
import { desired } from './desired.js';
import { importModel } from './import.js';
import { KINDS } from './kinds.js';
import { managedKinds, prune, stage } from './lifecycle.js';
import { observe } from './observe.js';
import { ops } from './ops.js';
import { blockDevices, grows } from './stack.js';

export const mdDriver = {
  name: 'md',
  kinds: KINDS,
  observe,
  desired,
  managedKinds,
  compare,
  classify,
  stage,
  ops,
  prune,
  blockDevices,
  grows,
  importModel,
} satisfies Driver;
