/** The SCST driver descriptor (DESIGN §5). */
import type { Driver } from '../../reconciler/core/driver.js';
import { classify } from './classify.js';
import { compare } from './compare.js';
import { desired } from './desired.js';
import { KINDS } from './kinds.js';
import { cascades, clusterOwned, gate, identityKey, managedKinds, prune, stage, unavailable } from './lifecycle.js';
import { observe } from './observe.js';
import { ops } from './ops.js';
import { blockDevices, resized } from './stack.js';

export const scstDriver = {
  name: 'scst',
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
  identityKey,
  unavailable,
  blockDevices,
  resized,
  clusterOwned,
  gate,
  readBack: true,
} satisfies Driver;

export { observeTree } from './observe.js';
export { addr, parseAddr, sysPath } from './address.js';
