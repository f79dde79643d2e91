/**
 * Checks that need more than the file but come before any kernel write: that the node a run acts
 * as is one the file declares, and that every secret this node's objects use can be read here.
 * Each gives a located diagnostic, so `plan` and the pre-receive hook stop with the place to fix
 * instead of a plan that cannot be applied.
 */
import type { SanformModel } from '../schema/model.js';
import type { Diagnostic } from './load/index.js';

/** Where a YAML path starts in the files (line 0 when unknown). */
export type Locate = (path: readonly string[]) => { file: string; line: number; col: number };

/** `node` must be one of `nodes:` when the file declares any. */
export function nodeDiagnostic(model: SanformModel, node: string, o: { given: boolean; locate: Locate }): Diagnostic | undefined {
  const declared = Object.keys(model.nodes ?? {});
  if (declared.length === 0 || declared.includes(node)) return undefined;
  const how = o.given ? `--node ${node}` : `this machine's host name '${node}'`;
  return {
    ...o.locate(['nodes']),
    path: 'nodes',
    code: 'UNKNOWN_NODE',
    severity: 'error',
    message: `${how} is not a node of this file (nodes: ${declared.join(', ')})`,
    hint: o.given ? `pass --node ${declared.join(' or --node ')}` : `pass --node NAME, or set nodes.<name>.hostname: ${node}`,
  };
}

/**
 * A diagnostic per secret this node's objects use that cannot be read (`unavailable`: name ->
 * why). Against a live machine it is an error (the apply would fail half-way); planning offline
 * (`--observed`, CI) it is a warning, since the secrets live on the appliance.
 */
export function secretDiagnostics(unavailable: ReadonlyMap<string, string>, o: { offline: boolean; locate: Locate }): Diagnostic[] {
  return [...unavailable].map(([name, why]) => ({
    ...o.locate(['secrets', name]),
    path: `secrets.${name}`,
    code: 'SECRET_UNAVAILABLE' as const,
    severity: o.offline ? ('warning' as const) : ('error' as const),
    message: why,
    hint: o.offline
      ? 'changes that use it show the secret as unavailable; the appliance reads it when it applies'
      : 'create the file (mode 0600) or set the variable on this machine, then run again',
  }));
}

/**
 * Planning offline, the secrets of objects that are live were not compared (no values and no
 * machine key here) and are taken as unchanged: one warning naming them, not one per secret.
 */
export function secretsNotComparedDiagnostic(names: readonly string[], o: { locate: Locate }): Diagnostic | undefined {
  if (names.length === 0) return undefined;
  return {
    ...o.locate(['secrets']),
    path: 'secrets',
    code: 'SECRETS_NOT_COMPARED',
    severity: 'warning',
    message: `planning offline: secret${names.length > 1 ? 's' : ''} ${names.join(', ')} not compared (values and fingerprint key stay on the appliance); taken as unchanged`,
    hint: 'a changed secret value shows up when the appliance plans or applies (pre-receive hook, sanform plan --host)',
  };
}

/** A saved plan names secrets the desired-state file given with it does not declare (another file). */
export function undeclaredSecretDiagnostics(names: readonly string[], o: { locate: Locate }): Diagnostic[] {
  return names.map((name) => ({
    ...o.locate(['secrets']),
    path: 'secrets',
    code: 'UNKNOWN_SECRET' as const,
    severity: 'error' as const,
    message: `the plan uses secret '${name}', which this file does not declare`,
    hint: 'pass with -c the desired-state file the plan was made from',
  }));
}
