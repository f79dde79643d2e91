/** The btier driver descriptor (DESIGN §5). */
import type { Driver } from '../../reconciler/core/driver.js';
import { blockDevices, classify, compare, desired, importModel, managedKinds, ops, prune, stage, unavailable } from './driver.js';
import { KINDS } from './kinds.js';
import { observe } from './observe.js';

export const btierDriver = {
  name: 'btier',
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
