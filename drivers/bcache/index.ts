/** The bcache driver descriptor (DESIGN §5). */
import type { Driver } from '../../reconciler/core/driver.js';
import { classify } from './classify.js';
import { compare } from './compare.js';
import { desired } from './desired.js';
import { KINDS } from './kinds.js';
import { managedKinds, prune, stage, unavailable } from './lifecycle.js';
import { observe } from './observe.js';
import { ops } from './ops.js';
import { blockDevices } from './stack.js';
import { importModel } from './import.js';

export const bcacheDriver = {
  name: 'bcache',
  kinds: KINDS,
  observe,
  desired,
  managedKinds,
  compare,
  classify,
  stage,
  ops,
  prune,
  unavailable,
  blockDevices,
  importModel,
} satisfies Driver;

export { blockDevices, importModel };
