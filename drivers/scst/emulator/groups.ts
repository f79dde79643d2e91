/**
 * Initiator groups and access control (§1.6, §2.6, §2.7): group create/del, initiator
 * add/del/move/clear, and matching sessions to LUN sets (first matching pattern wins; `*`, `?`
 * and a leading `!`; no match means the target's default set). Sessions are re-matched after
 * every change to groups or initiators.
 */
import type { Ctx } from './node.js';
import type { ScstState, TargetState } from './state.js';
import { fail, lexems, nextLexem } from './lexer.js';
import { dropLun } from './luns.js';

/** Shell-style wildcard with `*` and `?`; a leading `!` negates. */
export function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('!')) return !patternMatches(pattern.slice(1), name);
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  return re.test(name);
}

/** The group a session of `initiator` belongs to on target `t` (null = default set). */
export function matchGroup(t: TargetState, initiator: string): string | null {
  for (const [g, gs] of Object.entries(t.groups)) if (gs.initiators.some((p) => patternMatches(p, initiator))) return g;
  return null;
}

/** scst_check_reassign_sessions(): moves live sessions to their new LUN set. */
export function reassignSessions(t: TargetState): void {
  for (const s of Object.values(t.sessions)) s.group = matchGroup(t, s.initiator);
}

export const INI_GROUPS_HELP = 'Usage: echo "create GROUP_NAME" >mgmt\n       echo "del GROUP_NAME" >mgmt\n';
export const INITIATORS_HELP = [
  'Usage: echo "add INITIATOR_NAME" >mgmt',
  '       echo "del INITIATOR_NAME" >mgmt',
  '       echo "move INITIATOR_NAME DEST_GROUP_NAME" >mgmt',
  '       echo "clear" >mgmt',
  '',
].join('\n');

/** `ini_groups/mgmt` store (§2.6). */
export function iniGroupsMgmt(ctx: Ctx, ref: { driver: string; target: string; t: TargetState }, cmd: string): void {
  const { t } = ref;
  const [verbRaw, rest] = nextLexem(cmd);
  const verb = verbRaw.toLowerCase();
  const lx = lexems(rest);
  if (verb !== 'create' && verb !== 'del') fail('EINVAL', `unknown command ${verbRaw}`);
  if (lx.length < 1) fail('EINVAL', 'group name required');
  const g = lx[0];
  if (verb === 'create') {
    if (ref.driver === 'copy_manager') fail('EINVAL', 'Copy Manager does not support security groups');
    if (Object.prototype.hasOwnProperty.call(t.groups, g)) fail('EEXIST', `group ${g} exists`);
    if (g === 'mgmt') fail('EEXIST', 'ini_groups/mgmt exists');
    t.groups[g] = { luns: {}, initiators: [], attrs: {} };
    return;
  }
  if (!Object.prototype.hasOwnProperty.call(t.groups, g)) fail('EINVAL', `group ${g} not found`);
  if (Object.values(t.sessions).some((s) => s.group === g)) fail('EBUSY', `group ${g} has sessions`);
  const r = { driver: ref.driver, target: ref.target, group: g };
  for (const lun of Object.keys(t.groups[g].luns)) dropLun(ctx.st, r, lun);
  delete t.groups[g];
  reassignSessions(t);
}

/** `ini_groups/G/initiators/mgmt` store (§2.7). */
export function initiatorsMgmt(t: TargetState, group: string, cmd: string): void {
  const gs = t.groups[group];
  if (!gs) return;
  const [verbRaw, rest] = nextLexem(cmd);
  const verb = verbRaw.toLowerCase();
  const lx = lexems(rest);
  if (verb === 'add') {
    if (lx.length < 1) fail('EINVAL', 'initiator name required');
    if (gs.initiators.includes(lx[0])) fail('EEXIST', `${lx[0]} already in ${group}`);
    gs.initiators.push(lx[0]);
  } else if (verb === 'del') {
    if (lx.length < 1 || !gs.initiators.includes(lx[0])) fail('EINVAL', 'initiator not found');
    gs.initiators = gs.initiators.filter((i) => i !== lx[0]);
  } else if (verb === 'move') {
    if (lx.length < 2 || !gs.initiators.includes(lx[0])) fail('EINVAL', 'initiator not found');
    const dest = t.groups[lx[1]];
    if (!Object.prototype.hasOwnProperty.call(t.groups, lx[1])) fail('EINVAL', `group ${lx[1]} not found`);
    if (dest.initiators.includes(lx[0])) fail('EEXIST', `${lx[0]} already in ${lx[1]}`);
    gs.initiators = gs.initiators.filter((i) => i !== lx[0]);
    dest.initiators.push(lx[0]);
  } else if (verb === 'clear') {
    gs.initiators = [];
  } else fail('EINVAL', `unknown command ${verbRaw}`);
  reassignSessions(t);
}

/** Logs an initiator in (control interface): the session joins the first matching group. */
export function login(st: ScstState, t: TargetState, session: string, initiator = session): void {
  t.sessions[session] = { initiator, group: matchGroup(t, initiator) };
  void st;
}
