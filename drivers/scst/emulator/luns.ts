/**
 * LUN sets (§1.5.1, §2.5): the target's default set and each initiator group's set. Every LUN
 * also records an `exportK` link on its device (K only grows).
 */
import type { Ctx, Node } from './node.js';
import { dirOf, each, keyed, link, ro, rw } from './node.js';
import type { LunState, ScstState, TargetState } from './state.js';
import { fail, lexems, nextLexem, parseParams, parseUnsigned } from './lexer.js';
import { devValue } from './vdisk-attrs.js';

export const MAX_LUN = 16383;

export interface LunSetRef {
  driver: string;
  target: string;
  /** null for the target's default set. */
  group: string | null;
}

export function targetOf(st: ScstState, drv: string, tgt: string): TargetState | undefined {
  return (st.drivers as Record<string, { targets: Record<string, TargetState> }>)[drv]?.targets[tgt];
}

export function lunSet(st: ScstState, r: LunSetRef): Record<string, LunState> | undefined {
  const t = targetOf(st, r.driver, r.target);
  if (!t) return undefined;
  return r.group === null ? t.luns : t.groups[r.group]?.luns;
}

export const lunPath = (r: LunSetRef, lun: string): string =>
  r.group === null ? `targets/${r.driver}/${r.target}/luns/${lun}` : `targets/${r.driver}/${r.target}/ini_groups/${r.group}/luns/${lun}`;

/** Maps a device at a LUN and records its exportK link. */
export function putLun(st: ScstState, r: LunSetRef, lun: string, l: LunState): void {
  const set = lunSet(st, r)!;
  if (set[lun]) dropLun(st, r, lun);
  set[lun] = l;
  const d = st.devices[l.device];
  d.exports[`export${d.nextExport++}`] = lunPath(r, lun);
}

/** Unmaps one LUN and removes its exportK link. */
export function dropLun(st: ScstState, r: LunSetRef, lun: string): void {
  const set = lunSet(st, r)!;
  const l = set[lun];
  if (!l) return;
  delete set[lun];
  const d = st.devices[l.device];
  if (!d) return;
  const p = lunPath(r, lun);
  for (const [k, v] of Object.entries(d.exports)) if (v === p) delete d.exports[k];
}

/** Every LUN set of a target (default set first). */
export function allSets(t: TargetState, driver: string, target: string): LunSetRef[] {
  return [{ driver, target, group: null }, ...Object.keys(t.groups).map((g) => ({ driver, target, group: g }))];
}

function parseAddArgs(st: ScstState, rest: string): { dev: string; lun: string; readOnly: boolean } {
  const [dev, r1] = nextLexem(rest);
  if (!dev) fail('EINVAL', 'device name required');
  const [lunStr, r2] = nextLexem(r1);
  if (!lunStr) fail('EINVAL', 'LUN required');
  const lun = parseUnsigned(lunStr);
  if (lun > MAX_LUN) fail('EINVAL', 'LUN too big');
  let readOnly = false;
  for (const p of parseParams(r2)) {
    if (p.name !== 'read_only') fail('EINVAL', `unknown parameter ${p.name}`);
    readOnly = parseUnsigned(p.value) !== 0;
  }
  if (!Object.prototype.hasOwnProperty.call(st.devices, dev) || !st.devices[dev].handler) fail('EINVAL', `device ${dev} not found`);
  return { dev, lun: String(lun), readOnly };
}

/** `luns/mgmt` commands (§2.5). */
export function lunsMgmt(ctx: Ctx, r: LunSetRef, cmd: string): void {
  const st = ctx.st;
  const set = lunSet(st, r);
  if (!set) return; // target or group vanished while queued: silently "succeeds" (§2.5 quirk)
  const [verbRaw, rest] = nextLexem(cmd);
  const verb = verbRaw.toLowerCase();
  if (verb === 'add' || verb === 'replace' || verb === 'replace_no_ua') {
    const a = parseAddArgs(st, rest);
    if (verb === 'add' && set[a.lun]) fail('EEXIST', `LUN ${a.lun} already exists`);
    putLun(st, r, a.lun, { device: a.dev, readOnly: a.readOnly });
    return;
  }
  if (verb === 'del') {
    const lx = lexems(rest);
    // kstrtoul(lun, 0): 0x.. and 0.. (octal) are numbers too
    if (lx.length !== 1) fail('EINVAL', 'del needs one LUN number');
    const lun = String(parseUnsigned(lx[0]));
    if (!set[lun]) fail('EINVAL', 'Device is not found in group');
    dropLun(st, r, lun);
    return;
  }
  if (verb === 'clear') {
    if (lexems(rest).length) fail('EINVAL', 'clear takes no arguments');
    for (const lun of Object.keys(set)) dropLun(st, r, lun);
    return;
  }
  fail('EINVAL', `unknown command ${verbRaw}`);
}

export const LUNS_HELP = [
  'Usage: echo "add H:C:I:L lun [parameters]" >mgmt',
  '       echo "add VNAME lun [parameters]" >mgmt',
  '       echo "del lun" >mgmt',
  '       echo "replace H:C:I:L lun [parameters]" >mgmt',
  '       echo "replace VNAME lun [parameters]" >mgmt',
  '       echo "replace_no_ua H:C:I:L lun [parameters]" >mgmt',
  '       echo "replace_no_ua VNAME lun [parameters]" >mgmt',
  '       echo "clear" >mgmt',
  '',
  "where parameters are one or more param_name=value pairs separated by ';'",
  '',
  'The following parameters available: read_only',
  '',
].join('\n');

/** The `luns/` directory of a LUN set. */
export function lunsDir(ctx: Ctx, r: LunSetRef, mgmt: (cmd: string) => void): Node {
  const set = lunSet(ctx.st, r)!;
  const up = r.group === null ? '../../../../../' : '../../../../../../../';
  return dirOf(
    { mgmt: () => rw(() => LUNS_HELP, mgmt, true) },
    each(set, (_n, l) =>
      dirOf({
        device: () => link(`${up}devices/${l.device}`),
        read_only: () => {
          const dev = ctx.st.devices[l.device];
          const ro1 = l.readOnly || dev.handler === 'vcdrom' || devValue(dev, 'read_only') === '1';
          return ro(() => keyed(ro1 ? '1' : '0', ro1));
        },
      }),
    ),
  );
}
