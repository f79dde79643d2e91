/**
 * A Host that records every operation and can fail, delay or "crash" chosen ones: how fault tests
 * drive the reconciler (DESIGN §4). Wraps any Host (SimHost, LocalHost over a FUSE mount...).
 *
 *   const h = interceptHost(sim, { match: { kind: 'mgmt', nth: 3 }, fail: 'EBUSY' });
 *   ... apply ...
 *   h.count('mgmt')  // kernel writes made, the failed one included
 */
import { ErrnoError } from '../core/errors.js';
import type { ExecOptions, ExecResult, FilesApi, Host, MgmtOptions, ReadTreeOptions, SysfsApi, TreeEntry } from './host.js';

export type HostOpKind =
  | 'read' | 'list' | 'readlink' | 'exists' | 'readTree' | 'mgmt' | 'writeAttr' | 'exec' | 'files.read' | 'files.writeAtomic';

/** Kinds that change the machine. */
export const WRITE_KINDS: readonly HostOpKind[] = ['mgmt', 'writeAttr', 'exec', 'files.writeAtomic'];

export interface HostOp {
  /** 1-based position among all operations seen by this wrapper. */
  seq: number;
  kind: HostOpKind;
  /** host path (sysfs or file); for exec, argv[0]. */
  path: string;
  /** the command or value written (mgmt, writeAttr); never exec input or file content. */
  value?: string;
  argv?: string[];
  /** 'ok', the errno it failed with, or 'crash'. Unset while running. */
  outcome?: string;
  /** what the wrapper did to it. */
  injected?: 'fail' | 'delay' | 'crash' | 'exit';
}

/** Which operations a rule hits: a predicate, or the nth (1-based) operation matching a filter. */
export type OpMatcher =
  | ((op: HostOp) => boolean)
  | { kind?: HostOpKind | readonly HostOpKind[]; pathIncludes?: string; valueIncludes?: string; nth?: number };

export interface InterceptRule {
  match: OpMatcher;
  /** reject with ErrnoError(fail) instead of (or, with `after`, after) doing the operation. */
  fail?: string;
  /** exec only: return this exit code (and `stderr`) without running the command. */
  exitCode?: number;
  stderr?: string;
  /** wait this long before the operation. */
  delayMs?: number;
  /** called in place of the operation (or after it, with `after`): a test's simulated crash. */
  crash?: (op: HostOp) => never;
  /** act after the operation took effect (the kernel did it; the reply was lost). */
  after?: boolean;
  /** how many matching operations the rule hits (default: 1 with `nth`, else every one). */
  times?: number;
}

export interface InterceptedHost extends Host {
  /** every operation in order, including failed and injected ones. */
  readonly log: HostOp[];
  /** operations of these kinds so far. */
  count(kind?: HostOpKind | readonly HostOpKind[]): number;
  clearLog(): void;
  /**
   * Replaces the rules from now on; `nth` counts only operations seen after this call. A test
   * arms its fault just before the step it targets (one node's apply in a pair rollout), so
   * planning and observing before it are never hit.
   */
  arm(rules: InterceptRule | readonly InterceptRule[]): void;
  readonly inner: Host;
}

interface RuleState {
  rule: InterceptRule;
  seen: number;
  hits: number;
}

const kindsOf = (k: HostOpKind | readonly HostOpKind[] | undefined): readonly HostOpKind[] | undefined =>
  k === undefined ? undefined : typeof k === 'string' ? [k] : k;

/** Whether the rule's matcher accepts this operation (counting matches for `nth`). */
function matches(s: RuleState, op: HostOp): boolean {
  const { match } = s.rule;
  if (typeof match === 'function') return match(op);
  const kinds = kindsOf(match.kind);
  const ok =
    (!kinds || kinds.includes(op.kind)) &&
    (match.pathIncludes === undefined || op.path.includes(match.pathIncludes)) &&
    (match.valueIncludes === undefined || (op.value ?? '').includes(match.valueIncludes));
  if (!ok) return false;
  s.seen++;
  return match.nth === undefined || s.seen === match.nth;
}

const budget = (r: InterceptRule): number =>
  r.times ?? (typeof r.match !== 'function' && r.match.nth !== undefined ? 1 : Infinity);

/** The first rule that accepts the operation and has hits left; every rule sees every operation. */
function pick(states: RuleState[], op: HostOp): InterceptRule | undefined {
  let chosen: RuleState | undefined;
  for (const s of states) if (matches(s, op) && !chosen && s.hits < budget(s.rule)) chosen = s;
  if (chosen) chosen.hits++;
  return chosen?.rule;
}

/** Applies the rule's fault at one point (before or after the operation). */
async function inject<T>(rule: InterceptRule, op: HostOp): Promise<T | undefined> {
  if (rule.crash) {
    op.injected = 'crash';
    op.outcome = 'crash';
    rule.crash(op);
  }
  if (rule.exitCode !== undefined && op.kind === 'exec') {
    op.injected = 'exit';
    op.outcome = 'ok';
    return { exitCode: rule.exitCode, stdout: '', stderr: rule.stderr ?? '' } as T;
  }
  if (rule.fail) {
    op.injected = 'fail';
    op.outcome = rule.fail;
    throw new ErrnoError(rule.fail, { path: op.path, command: op.value, message: `injected ${rule.fail} on ${op.kind} ${op.path}` });
  }
  return undefined;
}

/** Wraps `host`; rules are checked in order and the first that hits an operation acts on it. */
export function interceptHost(host: Host, rules: InterceptRule | readonly InterceptRule[] = []): InterceptedHost {
  const fresh = (r: InterceptRule | readonly InterceptRule[]): RuleState[] => (Array.isArray(r) ? r : [r as InterceptRule]).map((rule) => ({ rule, seen: 0, hits: 0 }));
  let states = fresh(rules);
  const log: HostOp[] = [];

  async function run<T>(fields: Omit<HostOp, 'seq'>, fn: () => Promise<T>): Promise<T> {
    const op: HostOp = { seq: log.length + 1, ...fields };
    log.push(op);
    const rule = pick(states, op);
    if (rule?.delayMs) {
      op.injected = 'delay';
      await new Promise((r) => setTimeout(r, rule!.delayMs));
    }
    if (rule && !rule.after) {
      const r = await inject<T>(rule, op);
      if (r !== undefined) return r;
    }
    let result: T;
    try {
      result = await fn();
    } catch (e) {
      op.outcome = (e as { data?: { errno?: string } }).data?.errno ?? (e as { code?: string }).code ?? 'error';
      throw e;
    }
    op.outcome = 'ok';
    if (rule?.after) {
      // the operation took effect; its reply is replaced (an exit code) or lost (an error)
      const r = await inject<T>(rule, op);
      if (r !== undefined) return r;
    }
    return result;
  }

  const s = host.sysfs;
  const sysfs: SysfsApi = {
    read: (path) => run({ kind: 'read', path }, () => s.read(path)),
    list: (path) => run({ kind: 'list', path }, () => s.list(path)),
    readlink: (path) => run({ kind: 'readlink', path }, () => s.readlink(path)),
    exists: (path) => run({ kind: 'exists', path }, () => s.exists(path)),
    readTree: (path, o?: ReadTreeOptions): Promise<TreeEntry[]> => run({ kind: 'readTree', path }, () => s.readTree(path, o)),
    mgmt: (path, value, o?: MgmtOptions) => run({ kind: 'mgmt', path, value }, () => s.mgmt(path, value, o)),
    writeAttr: (path, value, o?: MgmtOptions) => run({ kind: 'writeAttr', path, value }, () => s.writeAttr(path, value, o)),
  };
  const files: FilesApi = {
    read: (path) => run({ kind: 'files.read', path }, () => host.files.read(path)),
    writeAtomic: (path, content, mode) => run({ kind: 'files.writeAtomic', path }, () => host.files.writeAtomic(path, content, mode)),
  };
  return {
    id: host.id,
    stateDir: host.stateDir,
    sysfs,
    files,
    exec: (argv: string[], o?: ExecOptions): Promise<ExecResult> =>
      run({ kind: 'exec', path: argv[0] ?? '', argv: [...argv] }, () => host.exec(argv, o)),
    hostname: () => host.hostname(),
    close: host.close ? () => host.close!() : undefined,
    log,
    count: (kind) => {
      const kinds = kindsOf(kind);
      return kinds ? log.filter((o) => kinds.includes(o.kind)).length : log.length;
    },
    clearLog: () => void log.splice(0),
    arm: (r) => void (states = fresh(r)),
    inner: host,
  } satisfies InterceptedHost;
}
