/**
 * native/ may import nothing of the project, so it declares its own copy of the readTree and mgmt
 * shapes (native/types.ts). This file makes the type checker (`npm run typecheck`, run by CI)
 * fail the day the two copies drift apart (they must be exactly equal).
 */
import type * as Native from '../../native/types.js';
import type { MgmtOptions, ReadTreeOptions, TreeEntry } from './host.js';

/** exact type equality (optional fields included), not mere assignability. */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

export const nativeContractMatches: [
  Same<Native.TreeEntry, TreeEntry>,
  Same<Native.MgmtOptions, MgmtOptions>,
  Same<Native.ReadTreeOptions, ReadTreeOptions>,
] = [true, true, true];
