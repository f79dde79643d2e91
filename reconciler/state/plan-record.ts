import type { Resource } from '../core/resource.js';
import { canonicalLines, quoted, scrubbedJson, scrubSecrets, storedResource } from './snapshot-files.js';

/**
 * The `plan.json` of a record: the applied plan in its record form, one change per line, in the
 * order apply ran them. A change keeps what was decided and why: `action`, `address`, `kind`,
 * `stage`, `reason`, `impact` and `fields` (every field of a create, the before and after of each
 * differing field of an update or replace), plus the whole `before` object of a delete or
 * replace (what was removed; the record's `observed/` shows only what is left).
 *
 * Left out, because they are derived or stored beside it: `ops` (the driver's kernel operations
 * for that change; `sanform plan --commands` prints them), `deps` (the line order is an order that
 * respects them; the objects' own deps are in `observed/`), `driver` (the kind names it), the
 * whole `after` object (its fields are in `fields`, and after a successful apply it is the
 * object's line in `observed/`) and the `fields` of a create that was applied (they are the
 * object's values, which its line in `observed/` holds, and the desired revision defines). A
 * failed or skipped create keeps its fields. A boot plan of 12,527 creates shrinks from 15 MB to
 * about 2 MB.
 *
 * The header carries `recordForm: 1` instead of `formatVersion`, so `sanform apply` refuses the
 * file (`PLAN_FORMAT`): a plan without ops must never be applied.
 */
export const PLAN_RECORD_FORM = 1;

interface FieldLike {
  field: string;
  before?: unknown;
  after?: unknown;
  inPlace?: boolean;
}

interface ChangeLike {
  address: string;
  kind: string;
  action: string;
  before?: Pick<Resource, 'deps' | 'driver' | 'spec' | 'status'>;
  fields?: FieldLike[];
  impact?: unknown[];
  reason?: string;
  stage?: string;
}

const SECRET_FIELD = /secret|passw|incominguser|outgoinguser|chap/i;

/** A field change with sorted keys and no undefined members; values of a field that names a secret become fingerprints. */
function fieldLine(f: FieldLike): FieldLike {
  const secret = SECRET_FIELD.test(f.field);
  const out: FieldLike = {} as FieldLike;
  if (f.after !== undefined) out.after = secret ? scrubSecrets(f.after, true) : f.after;
  if (f.before !== undefined) out.before = secret ? scrubSecrets(f.before, true) : f.before;
  out.field = f.field;
  if (f.inPlace !== undefined) out.inPlace = f.inPlace;
  return out;
}

/**
 * One change in record form: keys sorted, no undefined members, so serializing it takes the fast
 * path (no copy). `applied`: the create went through, so its values are the object's line in `observed/`.
 */
function changeLine(c: ChangeLike, applied: boolean): Record<string, unknown> {
  const line: Record<string, unknown> = { action: c.action, address: c.address };
  if ((c.action === 'delete' || c.action === 'replace') && c.before) line.before = storedResource(c.before);
  if (c.fields && !(applied && c.action === 'create')) line.fields = c.fields.map(fieldLine);
  if (c.impact) line.impact = c.impact;
  line.kind = c.kind;
  if (c.reason !== undefined) line.reason = c.reason;
  if (c.stage !== undefined) line.stage = c.stage;
  return line;
}

/** The JSON of an applied create's impact, kind, reason and stage, by kind (see `appliedCreateLine`). */
type Tails = Map<string, { cls: string; detail: string; reason: string; stage: string; tail: string }[]>;

/**
 * The line of an applied create, as `changeLine` would give it. Its impact, kind, reason and stage
 * repeat across thousands of creates (a boot applies 12,527), so their JSON is made once per
 * distinct combination and each line costs one string. Undefined when the impact has another
 * shape than one `{class, detail}`: the general path takes it.
 */
function appliedCreateLine(c: ChangeLike, tails: Tails): string | undefined {
  const i = c.impact?.length === 1 ? (c.impact[0] as Record<string, unknown>) : undefined;
  if (!i || typeof i.class !== 'string' || typeof i.detail !== 'string' || c.reason === undefined || c.stage === undefined) return undefined;
  let keys = 0;
  for (const _ in i) keys++;
  if (keys !== 2) return undefined;
  let known = tails.get(c.kind);
  if (known === undefined) tails.set(c.kind, (known = []));
  let t = known.find((e) => e.cls === i.class && e.detail === i.detail && e.reason === c.reason && e.stage === c.stage);
  if (t === undefined) {
    const tail = scrubbedJson({ impact: [{ class: i.class, detail: i.detail }], kind: c.kind, reason: c.reason, stage: c.stage }).slice(1, -1);
    known.push((t = { cls: i.class, detail: i.detail, reason: c.reason, stage: c.stage, tail }));
  }
  return `{"action":"create","address":${quoted(c.address)},${t.tail}}`;
}

const isChange = (c: unknown): c is ChangeLike =>
  !!c && typeof c === 'object' && typeof (c as ChangeLike).address === 'string' && typeof (c as ChangeLike).action === 'string';

/**
 * The text of `plan.json` (pure: the same input gives the same bytes). `applied`: addresses whose
 * change was applied (from the outcome); an applied create is stored without its fields. Anything
 * that is not a plan is stored as canonical JSON.
 */
export function planRecordText(plan: unknown, applied: ReadonlySet<string> = new Set()): string {
  const p = plan as { changes?: unknown[]; blocked?: unknown[]; formatVersion?: unknown };
  if (!p || typeof p !== 'object' || !Array.isArray(p.changes)) return `${scrubbedJson(plan)}\n`;
  const blocked = Array.isArray(p.blocked)
    ? p.blocked.map((b) => (b && typeof b === 'object' && Array.isArray((b as ChangeLike).fields) ? { ...b, fields: (b as ChangeLike).fields!.map(fieldLine) } : b))
    : undefined;
  const head = scrubbedJson({ ...p, formatVersion: undefined, recordForm: PLAN_RECORD_FORM, blocked, changes: [] });
  const at = head.lastIndexOf('"changes":[]') + '"changes":['.length;
  const lines: string[] = new Array(p.changes.length);
  const tails: Tails = new Map();
  const rest: unknown[] = [];
  const restAt: number[] = [];
  for (let n = 0; n < p.changes.length; n++) {
    const c = p.changes[n];
    const done = isChange(c);
    const quick = done && c.action === 'create' && applied.has(c.address) ? appliedCreateLine(c, tails) : undefined;
    if (quick !== undefined) {
      lines[n] = quick;
    } else {
      rest.push(done ? changeLine(c, applied.has(c.address)) : c);
      restAt.push(n);
    }
  }
  canonicalLines(rest).forEach((line, k) => (lines[restAt[k]!] = line));
  return lines.length === 0 ? `${head}\n` : `${head.slice(0, at)}\n${lines.join(',\n')}\n${head.slice(at)}\n`;
}
