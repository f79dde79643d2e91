export { plan, summarize } from './plan.js';
export { STAGES, changeEdges, orderChanges } from './order.js';
export { guardedImpacts, applyGuards } from './guards.js';
export { diffSnapshots, compareChange, createFields, type DraftChange } from './diff.js';
export { applyCascades, dependentsIndex } from './cascade.js';
export { PlanCycleError, UnknownDriverError, type Approval, type PlanInput } from './types.js';
export { linkIdentityMoves } from './identity.js';
export { ownedFields, clusterManaged, isOwned, type OwnedFields } from './owned.js';
export { heldAsChanges, mergeFaults } from './held.js';
