import type { Host } from '../host/host.js';
import type { Change, FieldChange, Impact, Op, Stage } from './change.js';
import type { Resource, Snapshot } from './resource.js';
import type { SanformModel } from '../../schema/model.js';

/** Resolves secret references to fingerprints at plan time and to values at apply time. */
export interface SecretResolver {
  fingerprint(name: string): string;
  value(name: string): Promise<string>;
}

export interface DesiredContext {
  node: string;
  secrets: SecretResolver;
}

/**
 * The contract of a driver plugin (DESIGN §5); each driver's descriptor is checked with
 * `satisfies Driver`. All kernel contact goes through the Host passed in.
 */
export interface Driver {
  name: string;
  kinds: readonly string[];
  /** read the live state in one pass. */
  observe(host: Host): Promise<Resource[]>;
  /** expand the model into resources for one node, with dependencies. */
  desired(model: SanformModel, ctx: DesiredContext): Resource[];
  /** kinds the file manages (prune covers only these). */
  managedKinds(model: SanformModel): string[];
  /** default-aware field comparison of two resources with the same address. */
  compare(before: Resource, after: Resource): FieldChange[];
  /** impact classes of a change, given the observed state (sessions). */
  classify(change: Change, observed: Snapshot): Impact[];
  /** stage used to break ties in ordering. */
  stage(change: Change): Stage;
  /** exact kernel operations for a change; printable. */
  ops(change: Change, observed: Snapshot): Op[];
  /** whether a live object absent from the file may be deleted (hardware targets: no). */
  prunable?(resource: Resource): 'delete' | 'disable' | 'keep';
}
