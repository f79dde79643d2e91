/**
 * The engine's public pipeline, called by the CLI and by the GitOps layer (watch, hooks):
 * load -> expand -> observe -> plan (pure) -> apply. Each step is also exported on its own.
 */
import type { SanformModel } from '../schema/model.js';
import type { Change, Plan } from './core/change.js';
import type { Driver, SecretResolver } from './core/driver.js';
import type { Snapshot } from './core/resource.js';
import type { Host } from './host/host.js';
import { loadDesiredTexts, type Diagnostic, type SourceText } from './load/index.js';
import { loadConfig } from './fleet/config.js';
import { heldAsChanges, mergeFaults, ownedFields, plan as makePlan } from './plan/index.js';
import { expandDesired, observe, startObserve } from './snapshot/index.js';
import { createSecretResolver, hostFingerprinter, hostSecretFiles } from './secrets.js';
import { nodeDiagnostic, secretDiagnostics, secretsNotComparedDiagnostic, undeclaredSecretDiagnostics, type Locate } from './preflight.js';
import { assumeSecretsUnchanged } from './secrets/offline.js';
import { acquireLock, apply, assertNoApplyInProgress, type ApplyResult, type HeldLock, type Progress, type RecordTarget } from './apply/index.js';
import { recoverRecord, type Recovered } from './recover.js';
import { assertPlanCurrent } from './fresh.js';
import { SanformError } from './core/errors.js';
import { classifyObjects, type ObjectDrift } from './drift/objects.js';
import { faultChanges } from './stack/fault.js';
import { rulesFor as ignoreRulesFor } from './drift/ignore.js';

export interface PlanRequest {
  /** a desired-state file or directory; or `texts` (pure, for hooks and tests). */
  config?: string;
  texts?: SourceText[];
  /** needed unless `observed` is given (offline planning from a snapshot). */
  host?: Host;
  drivers: readonly Driver[];
  node?: string;
  allow?: readonly string[];
  /** plan every difference as a change, none blocked (drift reports only; see PlanInput). */
  unguarded?: boolean;
  observed?: Snapshot;
  desiredRevision?: string;
  /** environment for `{env}` secrets and SANFORM_SECRETS_DIR; default process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * refuse with APPLY_IN_PROGRESS, before observing, while another process holds the machine's
   * apply lock (`plan` and `drift`: a state in the middle of an apply is no one's plan).
   */
  refuseDuringApply?: boolean;
}

export type PlanOutcome =
  | { ok: false; diagnostics: Diagnostic[] }
  | {
      ok: true;
      diagnostics: Diagnostic[];
      model: SanformModel;
      node: string;
      desired: Snapshot;
      observed: Snapshot;
      plan: Plan;
      secrets: SecretResolver;
    };

/** Neither a host nor an observed snapshot was given: nothing to plan against. */
export class NoObservedStateError extends SanformError<'NO_OBSERVED_STATE'> {
  constructor() {
    super('NO_OBSERVED_STATE', 'planning needs a host to observe or an observed snapshot', { hint: 'pass --host or --observed FILE' });
  }
}

/** The node this run acts as: given, or the host's name mapped through `nodes.*.hostname`. */
async function resolveNode(req: PlanRequest, model: SanformModel): Promise<string> {
  if (req.node) return req.node;
  if (req.observed?.node) return req.observed.node;
  if (!req.host) return Object.keys(model.nodes ?? {})[0] ?? 'localhost';
  const name = await req.host.hostname();
  const byHost = Object.entries(model.nodes ?? {}).find(([, n]) => n.hostname === name);
  return byHost ? byHost[0] : name;
}

/**
 * The loaded model and its diagnostics, without the loader's source index: positions of every
 * YAML key are only for diagnostics, and keeping them through observe raised the peak memory.
 */
async function loadModel(
  req: PlanRequest,
): Promise<{ ok: true; model: SanformModel; diagnostics: Diagnostic[]; locate: Locate } | { ok: false; diagnostics: Diagnostic[] }> {
  const r = req.texts
    ? loadDesiredTexts(req.texts)
    : await loadConfig(req.config ?? 'sanform.yaml', async () => req.node ?? req.observed?.node ?? (await req.host?.hostname()));
  if (!r.ok) return { ok: false, diagnostics: r.diagnostics };
  // positions kept for the few paths the pre-flight checks may name (nodes, secrets)
  const kept = new Map<string, ReturnType<Locate>>();
  const keep = (path: string[]) => {
    const at = r.sources.lookup(path);
    if (at) kept.set(path.join('\0'), { file: at.file, line: at.line, col: at.col });
  };
  keep(['nodes']);
  keep(['secrets']);
  for (const name of Object.keys(r.model.secrets ?? {})) keep(['secrets', name]);
  // DRBD resources: drbdadm's parse errors are reported at the YAML line that wrote the file
  for (const [name, d] of Object.entries(r.model.storage?.drbd ?? {})) {
    const base = ['storage', 'drbd', name];
    keep(base);
    keep([...base, 'protocol']);
    keep([...base, 'options']);
    for (const k of Object.keys(d.options ?? {})) keep([...base, 'options', k]);
    for (const [v, vol] of Object.entries(d.volumes)) for (const k of ['', ...Object.keys(vol)]) keep(k ? [...base, 'volumes', v, k] : [...base, 'volumes', v]);
    for (const [n, node] of Object.entries(d.nodes)) for (const k of ['', ...Object.keys(node)]) keep(k ? [...base, 'nodes', n, k] : [...base, 'nodes', n]);
  }
  const fallback = { file: r.files[0] ?? req.config ?? 'sanform.yaml', line: 0, col: 0 };
  const locate: Locate = (path) => kept.get(path.join('\0')) ?? fallback;
  return { ok: true, model: r.model, diagnostics: r.diagnostics, locate };
}

/** The drivers' pre-planning steps (real tools that plan their own diff), as located diagnostics. */
async function preplanAll(o: { req: PlanRequest; model: SanformModel; node: string; desired: Snapshot; observed: Snapshot; locate: Locate }): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for (const d of o.req.drivers) {
    if (!d.preplan) continue;
    const mine = [...o.desired.resources.values()].filter((r) => r.driver === d.name);
    if (mine.length === 0) continue;
    const issues = await d.preplan({ model: o.model, node: o.node, host: o.req.observed ? undefined : o.req.host, desired: mine, observed: o.observed });
    for (const i of issues) out.push({ ...o.locate(i.path), path: i.path.join('.'), code: i.code, severity: 'error', message: i.message, ...(i.hint ? { hint: i.hint } : {}) });
  }
  return out;
}

/** Loads and validates the file, expands it, observes (or takes `observed`) and plans. */
export async function loadAndPlan(req: PlanRequest): Promise<PlanOutcome> {
  if (!req.observed && !req.host) throw new NoObservedStateError();
  // the live state is read (the native walk runs on the thread pool) while the YAML is parsed;
  // a plan that must refuse while an apply runs checks that first and reads afterwards
  const pass = req.observed || req.refuseDuringApply ? undefined : startObserve(req.host!, req.drivers);
  const loaded = await loadModel(req);
  if (!loaded.ok) return { ok: false, diagnostics: loaded.diagnostics };
  const model = loaded.model;
  const node = await resolveNode(req, model);
  const wrongNode = nodeDiagnostic(model, node, { given: req.node !== undefined || req.observed !== undefined, locate: loaded.locate });
  if (wrongNode) return { ok: false, diagnostics: [...loaded.diagnostics, wrongNode] };
  // fingerprints are keyed per machine: planning offline (no host) compares none of them
  const secrets = createSecretResolver({
    secrets: model.secrets, env: req.env,
    fingerprint: req.host ? hostFingerprinter(req.host.stateDir) : undefined,
    machineFile: req.host ? hostSecretFiles(req.host) : undefined,
  });
  await secrets.preload();
  const source = req.config ? `desired:${req.config}` : 'desired:texts';
  let desired = expandDesired(model, req.drivers, { node, secrets, source });
  // offline (no host: CI) no fingerprint can be compared; that is said once, below
  const unreadable = req.host ? secretDiagnostics(secrets.unavailable(), { offline: req.observed !== undefined, locate: loaded.locate }) : [];
  loaded.diagnostics.push(...unreadable);
  if (unreadable.some((d) => d.severity === 'error')) return { ok: false, diagnostics: loaded.diagnostics };
  let observed = req.observed;
  if (!observed) {
    if (!req.host) throw new NoObservedStateError();
    if (req.refuseDuringApply) assertNoApplyInProgress(req.host.stateDir);
    observed = pass ? await pass.snapshot(node) : await observe(req.host, req.drivers, { node });
  }
  if (!req.host) {
    const assumed = assumeSecretsUnchanged(desired, observed);
    desired = assumed.desired;
    const note = secretsNotComparedDiagnostic(assumed.names, { locate: loaded.locate });
    if (note) loaded.diagnostics.push(note);
  }
  const toolIssues = await preplanAll({ req, model, node, desired, observed, locate: loaded.locate });
  if (toolIssues.length > 0) return { ok: false, diagnostics: [...loaded.diagnostics, ...toolIssues] };
  const plan = makePlan({
    desired,
    observed,
    drivers: req.drivers,
    managedKinds: desired.kinds ?? [],
    prune: model.policy?.prune ?? true,
    approvals: model.policy?.approvals ?? [],
    allow: req.allow ?? [],
    unguarded: req.unguarded,
    desiredRevision: req.desiredRevision,
    owned: ownedFields(model, req.drivers),
    cluster: req.drivers.flatMap((d) => d.clusterNotes?.(observed) ?? []),
  });
  return { ok: true, diagnostics: loaded.diagnostics, model, node, desired, observed, plan, secrets };
}

export interface ApplyRequest {
  host: Host;
  plan: Plan;
  drivers: readonly Driver[];
  secrets?: SecretResolver;
  /** node to observe as when re-checking the plan; default the plan's node. */
  node?: string;
  lockTimeoutMs?: number;
  onProgress?: (p: Progress) => void;
  /** lock and journal directory; default `host.stateDir`. */
  stateDir?: string;
  /** re-observe under the lock and refuse with PLAN_STALE when the live state moved (default true). */
  checkStale?: boolean;
  /** the lock taken by `holdApplyLock` before planning; without it apply takes (and releases) its own. */
  lock?: HeldLock;
  /** where the record of this apply goes (GitOps), kept in the journal for `recoverRecord`. */
  record?: RecordTarget;
}

/**
 * Applies a plan (fresh or saved): under the lock, re-observes and refuses a plan whose
 * observedHash no longer matches (PLAN_STALE), then walks it.
 */
export async function applyPlan(req: ApplyRequest): Promise<ApplyResult> {
  const recheck = async (): Promise<void> => {
    if (req.checkStale !== false) await assertPlanCurrent({ host: req.host, drivers: req.drivers, plan: req.plan, node: req.node });
  };
  return apply({
    host: req.host,
    plan: req.plan,
    drivers: req.drivers,
    secrets: req.secrets,
    lockTimeoutMs: req.lockTimeoutMs,
    onProgress: req.onProgress,
    stateDir: req.stateDir,
    recheck,
    lock: req.lock,
    record: req.record,
  });
}

/**
 * The first step of every apply: takes the machine's lock (before anything is observed, so a
 * second apply says APPLY_IN_PROGRESS instead of planning against a state in motion), then
 * writes the record of a previous apply that was killed before recording it (reconciler/recover.ts).
 * The caller plans and applies holding `lock` and releases it.
 */
export async function holdApplyLock(o: {
  host: Host;
  drivers: readonly Driver[];
  lockTimeoutMs?: number;
  stateDir?: string;
}): Promise<{ lock: HeldLock; recovered?: Recovered }> {
  const stateDir = o.stateDir ?? o.host.stateDir;
  const lock = await acquireLock(stateDir, { timeoutMs: o.lockTimeoutMs ?? 0 });
  try {
    const recovered = await recoverRecord({ stateDir, observe: (node) => observe(o.host, o.drivers, { node }) });
    return { lock, recovered };
  } catch (e) {
    lock.release();
    throw e;
  }
}

/** Drift: the plan's changes for objects whose drift mode is not `off`, minus ignored fields. */
export function driftOf(p: Plan, model: SanformModel): Change[] {
  const ignore = model.policy?.drift?.ignore ?? [];
  const globalOff = model.policy?.drift?.mode === 'off';
  const out: Change[] = [];
  // cluster-owned fields are drift too (reported, classified, never corrected)
  for (const c of heldAsChanges(p)) {
    const mode = c.after?.meta?.drift ?? (globalOff ? 'off' : undefined);
    if (mode === 'off') continue;
    const rules = ignoreRulesFor(ignore, c.address);
    if (rules.some((r) => !r.fields)) continue;
    const ignored = new Set(rules.flatMap((r) => r.fields ?? []));
    const fields = c.fields.filter((f) => !ignored.has(f.field));
    if (c.action === 'update' && fields.length === 0) continue;
    out.push({ ...c, fields });
  }
  return out;
}

/** The desired views of the other nodes of a pair (a live value one of them expects is failover drift). */
export function peerViews(o: { model: SanformModel; node: string; drivers: readonly Driver[]; secrets: SecretResolver }): Snapshot[] {
  return Object.keys(o.model.nodes ?? {})
    .filter((n) => n !== o.node)
    .map((n) => expandDesired(o.model, o.drivers, { node: n, secrets: o.secrets, source: `desired:peer:${n}` }));
}

/**
 * A plan computed for reporting. `drift` lists every difference, blocked ones included (they
 * are planned a second time unguarded, against the same observed snapshot, so their fields
 * show); `guarded` names the addresses that correcting would not reach (they need an approval,
 * or the machine cannot make them); `classes`
 * gives each drifted address its drift class (reconciler/drift: operator, kernel, hardware, failover).
 */
export async function drift(
  req: PlanRequest,
): Promise<PlanOutcome & { drift?: Change[]; guarded?: string[]; classes?: Map<string, ObjectDrift> }> {
  const r = await loadAndPlan({ ...req, allow: [] });
  if (!r.ok) return r;
  let changes = driftOf(r.plan, r.model);
  const guarded = r.plan.blocked.map((b) => b.address);
  if (guarded.length > 0) {
    const all = await loadAndPlan({ ...req, unguarded: true, observed: r.observed, node: r.node });
    if (!all.ok) return all;
    changes = driftOf(all.plan, r.model);
  }
  // hardware faults (a degraded array...) are drift with no change planned for them
  changes = mergeFaults(changes, driftOf({ ...r.plan, changes: faultChanges(r.observed, r.desired), held: [] }, r.model));
  const classes = classifyObjects({
    changes, observed: r.observed, desired: r.desired, policyMode: r.model.policy?.drift?.mode,
    peers: peerViews({ model: r.model, node: r.node, drivers: req.drivers, secrets: r.secrets }),
  });
  return { ...r, drift: changes, guarded, classes };
}

/**
 * The secret resolver of a desired-state file, for applying a saved plan (which holds no
 * values). `names`: the secrets the plan's operations use; each must be declared by the file and
 * readable here, or nothing is applied (the same pre-flight as a fresh plan).
 */
export async function secretsFor(req: { config: string; env?: NodeJS.ProcessEnv; names?: readonly string[]; host?: Host }): Promise<
  { ok: true; secrets: SecretResolver; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] }
> {
  const loaded = await loadModel({ config: req.config, drivers: [] });
  if (!loaded.ok) return { ok: false, diagnostics: loaded.diagnostics };
  const secrets = createSecretResolver({
    secrets: loaded.model.secrets, env: req.env,
    fingerprint: req.host ? hostFingerprinter(req.host.stateDir) : undefined,
    machineFile: req.host ? hostSecretFiles(req.host) : undefined,
  });
  await secrets.preload();
  const declared = new Set(Object.keys(loaded.model.secrets ?? {}));
  const undeclared = (req.names ?? []).filter((n) => !declared.has(n));
  for (const n of req.names ?? []) if (declared.has(n)) secrets.fingerprint(n);
  const diagnostics = [
    ...loaded.diagnostics,
    ...undeclaredSecretDiagnostics(undeclared, { locate: loaded.locate }),
    ...secretDiagnostics(secrets.unavailable(), { offline: false, locate: loaded.locate }),
  ];
  return diagnostics.some((d) => d.severity === 'error') ? { ok: false, diagnostics } : { ok: true, secrets, diagnostics };
}
