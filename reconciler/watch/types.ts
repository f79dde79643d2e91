import type { SanformModel } from '../../schema/model.js';
import type { Plan } from '../core/change.js';
import type { Snapshot } from '../core/resource.js';
import type { ApplyResult, HeldLock, RecordTarget } from '../apply/index.js';
import type { Recovered } from '../recover.js';
import type { Diagnostic, SourceText } from '../load/index.js';
import type { Alerter } from '../alerts/dispatch.js';
import type { AlertLogger } from '../alerts/types.js';
import type { DriftItem } from '../drift/types.js';
import type { RecordKind } from '../state/record.js';
import type { RecordResult } from '../state/pending.js';

/**
 * What the GitOps flows (hooks, watch, boot, rollback) need from the engine, injected so they
 * can be tested with fakes and so reconciler/ never imports a driver. cli/ builds the real one.
 */
export interface GitopsEngine {
  /** load and validate `files` (refused with `diagnostics` when those hold an error: a fleet.yaml at fault), observe the host (or use `observed`), and plan. */
  plan(req: { files: SourceText[]; revision: string; allow?: string[]; observed?: Snapshot; diagnostics?: Diagnostic[] }): Promise<PlanResponse>;
  /**
   * take the machine's apply lock (waiting up to the engine's lock timeout, then APPLY_IN_PROGRESS)
   * and write the record of an apply killed before it recorded (reconciler/recover.ts).
   */
  lock(): Promise<{ lock: HeldLock; recovered?: Recovered }>;
  /** apply a plan holding `lock`; `record`: where its record goes, kept in the journal. Recording is the caller's step. */
  apply(plan: Plan, opts: { lock: HeldLock; record: RecordTarget }): Promise<ApplyResult>;
  /** one observing pass of the live host. */
  observe(): Promise<Snapshot>;
  /**
   * The periodic work `model` declares beside the kernel state (snapshot sets: take, send,
   * prune), carried out at each drift check; what was done, and what failed.
   */
  scheduled?(model: SanformModel): Promise<ScheduledReport>;
}

export interface ScheduledReport {
  /** what was done, one line each (`snapshot set vm_store: took vm_store@...`). */
  lines: string[];
  /** what failed, one line each. */
  errors: string[];
  /**
   * per snapshot set after the work: the age of its newest snapshot and of the newest one its
   * peer holds completely (seconds; absent when there is none or the peer could not be listed).
   */
  gauges?: { set: string; snapshotAgeSeconds?: number; replicationLagSeconds?: number }[];
}

export type PlanResponse =
  | { ok: false; diagnostics: Diagnostic[] }
  | {
      ok: true;
      plan: Plan;
      model: SanformModel;
      desired: Snapshot;
      observed: Snapshot;
      /** desired views of the other nodes of a pair (failover detection). */
      peers?: Snapshot[];
      /** warnings of the loader. */
      diagnostics?: Diagnostic[];
    };

export interface GitopsContext {
  /** path of the bare state repo. */
  repo: string;
  node: string;
  /** `local`, `sim:/dir`: written into records. */
  hostId: string;
  /** the host's stateDir: pending records live there. */
  stateDir: string;
  engine: GitopsEngine;
  alerter: Alerter;
  logger: AlertLogger;
  /** a file every writer of the machine's configuration flocks (ESOS: /var/lock/conf_sync). */
  lockFile?: string;
  now?: () => Date;
  /** a fleet's central repository (`watch --upstream`): pulled before, records pushed after each cycle. */
  upstream?: string;
  /** the sinks are still to be built from the first plan's model (ContextOptions.alertsFromPlan). */
  alertsFromPlan?: boolean;
}

export type ApplyStatus = 'invalid' | 'applied' | 'failed';

/** The result of converging to one desired revision (apply, boot, rollback, correct). */
export interface ApplyReport {
  revision: string;
  kind: RecordKind;
  status: ApplyStatus;
  diagnostics?: Diagnostic[];
  plan?: Plan;
  result?: ApplyResult;
  record?: RecordResult;
  /** an earlier apply killed before its record, recorded by this run first (reconciler/recover.ts). */
  recovered?: Recovered;
  durationMs: number;
}

/** The result of one drift check. */
export interface DriftReport {
  revision: string;
  items: DriftItem[];
  /** the observed record commit that shows the drift. */
  record?: RecordResult;
  /** whether an alert went out (identical drift is alerted once). */
  alerted: boolean;
  /** set when the check did not run: another process was applying. */
  skipped?: 'apply-in-progress';
  corrected?: ApplyReport;
  /** the declared periodic work done at this check (GitopsEngine.scheduled). */
  scheduled?: ScheduledReport;
}

/** What a long-running watch remembers between cycles. */
export interface WatchMemory {
  lastDriftSignature?: string;
  /** policy.drift.interval of the revision in force, once known. */
  intervalMs?: number;
  /** the last main revision this process tried to apply (not retried on every event). */
  attempted?: string;
  /** code of the error that failed the last cycle (alerted once until it changes). */
  lastError?: string;
  /** what the last upstream alert said (alerted once until it changes). */
  lastUpstream?: string;
}
