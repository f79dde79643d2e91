/**
 * Resources -> scst.conf that scstadmin accepts (reference/scst-sysfs.md §6.2 structure, §6.4
 * order and quoting): core attributes, HANDLERs, TARGET_DRIVERs, DEVICE_GROUPs, each level
 * sorted. CHAP secrets are written only when a value is supplied; otherwise the line is a
 * comment naming the secret, so the file never carries a secret by accident.
 */
import type { Resource } from '../../../reconciler/core/resource.js';
import type { AttrValue } from '../../../schema/model.js';
import { parseAddr } from '../address.js';
import { rulesFor } from '../attrs.js';
import type { AttrMap, ChapSpec, LunSpec, TgTargetSpec } from '../kinds.js';
import { format } from '../values.js';
import { SanformError } from '../../../reconciler/core/errors.js';

/** A value the export cannot put into scst.conf so that scstadmin reads it back the same. */
export class ConfUnwritableError extends SanformError<'SCST_CONF_UNWRITABLE', { value: string }> {
  constructor(value: string) {
    super('SCST_CONF_UNWRITABLE', `the value '${value}' holds a brace, a double quote or a line break, which scst.conf cannot carry`, {
      data: { value },
      hint: 'change the value in sanform.yaml, or set that attribute by hand after scstadmin has applied the file',
    });
  }
}

export interface WriteOptions {
  /** the value of a secret, when secrets are to be included. */
  secret?: (name: string) => string | undefined;
}

/**
 * A value as scstadmin reads it back: `\` and `#` escaped (scstadmin's own writer escapes only
 * these), double-quoted when it holds blanks. scstadmin removes escapes before it reads braces
 * and quotes, so a value with a brace, a double quote or a line break cannot be written at all.
 */
export function confValue(v: string): string {
  if (/[{}"\n]/.test(v)) {
    throw new ConfUnwritableError(v);
  }
  const e = v.replace(/[\\#]/g, (c) => `\\${c}`);
  return /\s/.test(v) || v === '' ? `"${e}"` : e;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const ind = (n: number): string => '\t'.repeat(n);

export function writeConf(resources: Resource[], opts: WriteOptions = {}): string {
  const all = [...resources].sort((a, b) => cmp(a.address, b.address));
  const by = (kind: string): Resource[] => all.filter((r) => r.kind === kind);
  const under = (base: string, kind: string): Resource[] => all.filter((r) => r.kind === kind && r.address.startsWith(`${base}/`));
  const out: string[] = ['# scst.conf written by sanform export', ''];
  const core = by('scst.core')[0];
  if (core) out.push(...attrLines('scst.core', (core.spec as { attributes: AttrMap }).attributes, 0));
  const handlers = [...new Set(by('scst.device').map((d) => (d.spec as { handler: string }).handler))].sort(cmp);
  for (const h of handlers) {
    out.push('', `HANDLER ${h} {`);
    for (const d of by('scst.device').filter((x) => (x.spec as { handler: string }).handler === h)) {
      out.push(...block(`DEVICE ${confValue(parseAddr(d.address).dev!)}`, attrLines('scst.device', (d.spec as { attributes: AttrMap }).attributes, 2), 1));
    }
    out.push('}');
  }
  for (const d of [...by('scst.driver'), ...by('scst.copy-manager-driver')].sort((a, b) => cmp(a.address, b.address))) {
    const drv = parseAddr(d.address).drv!;
    const body: string[] = [];
    const en = all.find((r) => r.address === `${d.address}/enabled`);
    if (en) body.push(`${ind(1)}enabled ${(en.spec as { enabled: boolean }).enabled ? 1 : 0}`);
    body.push(...attrLines(d.kind, (d.spec as { attributes: AttrMap }).attributes, 1));
    body.push(...users(under(d.address, 'scst.chap-user').filter((u) => !u.address.includes('/target/')), 1, opts));
    for (const t of by('scst.target').filter((x) => x.address.startsWith(`scst/target/${drv}/`))) {
      body.push(...(body.length ? [''] : []), ...targetBlock(t, { all, under, opts }));
    }
    if (drv === 'copy_manager' && body.length === 0) continue;
    out.push('', `TARGET_DRIVER ${drv} {`, ...body, '}');
  }
  for (const dg of by('scst.alua-dg')) out.push('', ...dgBlock(dg, under));
  return `${out.join('\n')}\n`;
}

function block(header: string, body: string[], level: number): string[] {
  return body.length ? [`${ind(level)}${header} {`, ...body, `${ind(level)}}`] : [`${ind(level)}${header}`];
}

function attrLines(kind: string, attrs: AttrMap, level: number): string[] {
  const rules = rulesFor(kind);
  return Object.keys(attrs)
    .sort(cmp)
    .map((k) => `${ind(level)}${k} ${confValue(format(rules[k]?.type, attrs[k] as AttrValue))}`);
}

function users(list: Resource[], level: number, opts: WriteOptions): string[] {
  return list.map((u) => {
    const s = u.spec as unknown as ChapSpec;
    const attr = s.direction === 'incoming' ? 'IncomingUser' : 'OutgoingUser';
    const value = s.secretName === undefined ? undefined : opts.secret?.(s.secretName);
    if (value === undefined) return `${ind(level)}# ${attr} "${s.user} <secret ${s.secretName ?? '?'}: export with --include-secrets>"`;
    return `${ind(level)}${attr} ${confValue(`${s.user} ${value}`)}`;
  });
}

interface TCtx {
  all: Resource[];
  under: (base: string, kind: string) => Resource[];
  opts: WriteOptions;
}

const HARDWARE = new Set(['ib_srpt', 'fcst']);

function targetBlock(t: Resource, c: TCtx): string[] {
  const { drv, tgt } = parseAddr(t.address) as { drv: string; tgt: string };
  const spec = t.spec as { attributes: AttrMap; npiv?: { node_name: string; parent_host?: string } };
  const body: string[] = [];
  if (HARDWARE.has(drv) || (drv === 'qla2x00t' && !spec.npiv)) body.push(`${ind(2)}HW_TARGET`, '');
  const en = c.all.find((r) => r.address === `${t.address}/enabled`);
  if (en) body.push(`${ind(2)}enabled ${(en.spec as { enabled: boolean }).enabled ? 1 : 0}`);
  const attrs: AttrMap = { ...spec.attributes };
  if (spec.npiv) Object.assign(attrs, { node_name: spec.npiv.node_name, parent_host: spec.npiv.parent_host ?? '' });
  body.push(...attrLines('scst.target', attrs, 2));
  body.push(...users(c.under(t.address, 'scst.chap-user'), 2, c.opts));
  for (const p of c.under(t.address, 'scst.allowed-portal')) body.push(`${ind(2)}allowed_portal ${confValue(parseAddr(p.address).name!)}`);
  const luns = (base: string, level: number): string[] =>
    c
      .under(base, 'scst.lun')
      .filter((l) => l.address.slice(base.length + 1).startsWith('lun/'))
      .sort((a, b) => parseAddr(a.address).lun! - parseAddr(b.address).lun!)
      .flatMap((l) => {
        const s = l.spec as unknown as LunSpec;
        return block(`LUN ${parseAddr(l.address).lun} ${confValue(s.device)}`, s.read_only ? [`${ind(level + 1)}read_only 1`] : [], level);
      });
  const tl = luns(t.address, 2);
  if (tl.length) body.push('', ...tl);
  for (const g of c.under(t.address, 'scst.group')) {
    const name = parseAddr(g.address).group!;
    const inis = c
      .under(t.address, 'scst.initiator')
      .filter((i) => (i.spec as { group: string }).group === name)
      .map((i) => `${ind(3)}INITIATOR ${confValue(parseAddr(i.address).name!)}`);
    const gAttrs = attrLines('scst.group', (g.spec as { attributes: AttrMap }).attributes, 3);
    const gb = [...luns(g.address, 3), ...(inis.length ? ['', ...inis] : []), ...(gAttrs.length ? ['', ...gAttrs] : [])];
    body.push('', ...block(`GROUP ${confValue(name)}`, gb, 2));
  }
  return block(`TARGET ${confValue(tgt)}`, body, 1);
}

function dgBlock(dg: Resource, under: TCtx['under']): string[] {
  const name = parseAddr(dg.address).dg!;
  const body = [
    ...attrLines('scst.alua-dg', (dg.spec as { attributes: AttrMap }).attributes, 1),
    ...under(dg.address, 'scst.alua-device').map((d) => `${ind(1)}DEVICE ${confValue(parseAddr(d.address).dev!)}`),
  ];
  for (const tg of under(dg.address, 'scst.alua-tg')) {
    const tb = attrLines('scst.alua-tg', (tg.spec as { attributes: AttrMap }).attributes, 2);
    for (const m of under(tg.address, 'scst.alua-tg-target')) {
      const s = m.spec as unknown as TgTargetSpec;
      const rel = s.remote ? [`${ind(3)}rel_tgt_id ${s.rel_tgt_id ?? 0}`] : [];
      tb.push(...block(`TARGET ${confValue(parseAddr(m.address).tgt!)}`, rel, 2));
    }
    body.push('', ...block(`TARGET_GROUP ${confValue(parseAddr(tg.address).tg!)}`, tb, 1));
  }
  return block(`DEVICE_GROUP ${confValue(name)}`, body, 0);
}
