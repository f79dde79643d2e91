/** The DRBD driver descriptor (DESIGN §5): resource files, drbdadm as the planner, drbdsetup status. */
import type { Change, Stage } from '../../reconciler/core/change.js';
import type { Driver } from '../../reconciler/core/driver.js';
import type { Resource } from '../../reconciler/core/resource.js';
import type { SanformModel } from '../../schema/model.js';
import { KIND } from './address.js';
import { classify } from './classify.js';
import { compare } from './compare.js';
import { desired } from './desired.js';
import { observe } from './observe.js';
import { ops } from './ops.js';
import { preplan } from './preplan.js';
import { blockDevices, grows, resized } from './stack.js';
import { gate } from './gate.js';

export const drbdDriver = {
  name: 'drbd',
  kinds: [KIND],
  observe,
  desired,
  managedKinds: (model: SanformModel) => (model.storage?.drbd ? [KIND] : []),
  compare,
  classify,
  stage: (c: Change): Stage => (c.action === 'delete' ? 'teardown-objects' : 'create-objects'),
  ops,
  preplan,
  gate,
  blockDevices,
  grows,
  resized,
  /** Pacemaker promotes and demotes: sanform uses the declared role only at create. */
  clusterOwned: (r: Resource) => (r.kind === KIND ? ['role'] : []),
} satisfies Driver;

export { unhealthy, parseStatus, type DrbdStatus } from './status.js';
export { readStatus } from './observe.js';
