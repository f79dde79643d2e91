/**
 * Target and initiator name forms per driver (scst-sysfs.md §5, §8.3): iSCSI IQN/EUI/NAA, FC and
 * FCoE WWPNs and SRP GIDs in lower-case hex, plus options that only one driver takes.
 */
import { at, isObj, listOf, objEntries } from './context.js';
import type { Rule, RuleCtx } from './context.js';
import type { PathSeg } from '../sources.js';

const LABEL = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
const IQN = new RegExp(`^iqn\\.[0-9]{4}-(?:0[1-9]|1[0-2])\\.${LABEL}(?:\\.${LABEL})*(?::\\S+)?$`);
const EUI = /^eui\.[0-9a-fA-F]{16}$/;
const NAA = /^naa\.(?:[0-9a-fA-F]{16}|[0-9a-fA-F]{32})$/;
const WWPN_ANY = /^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){7}$/;
const GID_ANY = /^[0-9a-fA-F]{4}(?::[0-9a-fA-F]{4}){7}$/;
const hasUpper = (s: string): boolean => s !== s.toLowerCase();

/** Reports a WWPN or GID written with upper-case hex (names are case-sensitive in SCST). */
function checkHexCase(ctx: RuleCtx, { path, name, at }: { path: PathSeg[]; name: string; at: 'key' | 'value' }): boolean {
  const bare = name.replace(/^!/, '');
  if (!hasUpper(bare)) return false;
  const what = WWPN_ANY.test(bare) ? 'WWPN' : GID_ANY.test(bare) ? 'GID' : undefined;
  if (!what) return false;
  ctx.report({
    path, at, code: what === 'WWPN' ? 'WWPN_CASE' : 'GID_CASE',
    message: `${what} '${name}' has upper-case hex; SCST names ${what === 'WWPN' ? 'FC ports' : 'SRP ports'} in lower case, so this names nothing`,
    hint: `write '${name.toLowerCase()}'`,
  });
  return true;
}

function checkTargetName(ctx: RuleCtx, { driver, name }: { driver: string; name: string }): void {
  const path: PathSeg[] = ['scst', 'targets', driver, name];
  const bad = (form: string, hint: string): void =>
    ctx.report({ path, code: 'TARGET_NAME_FORM', message: `'${name}' is not a valid ${driver} target name: expected ${form}`, hint });
  if (driver === 'iscsi') {
    if (!IQN.test(name) && !EUI.test(name) && !NAA.test(name)) {
      bad('iqn.YYYY-MM.reverse.domain[:suffix], eui.<16 hex> or naa.<16|32 hex>', hasUpper(name) ? `iSCSI names are lower case: '${name.toLowerCase()}'` : 'e.g. iqn.2026-01.com.example:storage.vm');
    }
  } else if (driver === 'qla2x00t' || driver === 'fcst') {
    if (!checkHexCase(ctx, { path, name, at: 'key' }) && !WWPN_ANY.test(name)) bad('a WWPN like 21:00:00:24:ff:00:00:01', 'write the port WWPN as 8 lower-case hex pairs separated by colons');
  } else if (driver === 'ib_srpt') {
    if (!checkHexCase(ctx, { path, name, at: 'key' }) && !GID_ANY.test(name)) bad('a port GID in full IPv6 form like fe80:0000:0000:0000:0002:c903:0005:f34f', 'write 8 groups of 4 lower-case hex digits');
  } else if (driver === 'copy_manager' && name !== 'copy_manager_tgt') {
    bad('copy_manager_tgt (the copy manager has one target)', 'rename the key to copy_manager_tgt');
  }
}

/** Options only some drivers take. */
function checkDriverOptions(ctx: RuleCtx, { driver, name, tgt }: { driver: string; name: string; tgt: Record<string, unknown> }): void {
  const path: PathSeg[] = ['scst', 'targets', driver, name];
  const only = (field: string, drv: string): void => {
    if (field in tgt && driver !== drv) {
      ctx.report({ path: [...path, field], code: 'DRIVER_OPTION', message: `${field} applies to ${drv} targets only, not ${driver}`, hint: `remove ${field} from this target` });
    }
  };
  only('auth', 'iscsi');
  only('allowedPortals', 'iscsi');
  only('npiv', 'qla2x00t');
  if (driver === 'scst_local' && 'enabled' in tgt) {
    ctx.report({ path: [...path, 'enabled'], code: 'DRIVER_OPTION', message: 'scst_local targets have no enabled attribute', hint: 'remove enabled' });
  }
  const npiv = tgt.npiv;
  if (isObj(npiv)) {
    for (const k of ['nodeName', 'parentHost']) {
      if (typeof npiv[k] === 'string') checkHexCase(ctx, { path: [...path, 'npiv', k], name: npiv[k], at: 'value' });
    }
  }
}

export const nameRules: Rule = (ctx) => {
  for (const [driver, targets] of objEntries(at(ctx.data, 'scst', 'targets'))) {
    for (const [name, tgt] of objEntries(targets)) {
      checkTargetName(ctx, { driver, name });
      checkDriverOptions(ctx, { driver, name, tgt });
      for (const [g, group] of objEntries(tgt.groups)) {
        listOf(group.initiators).forEach((ini, i) => {
          if (typeof ini === 'string') checkHexCase(ctx, { path: ['scst', 'targets', driver, name, 'groups', g, 'initiators', i], name: ini, at: 'value' });
        });
      }
    }
  }
  for (const [driver, spec] of objEntries(at(ctx.data, 'scst', 'drivers'))) {
    if ('auth' in spec && driver !== 'iscsi') {
      ctx.report({ path: ['scst', 'drivers', driver, 'auth'], code: 'DRIVER_OPTION', message: `auth (discovery CHAP) applies to the iscsi driver only, not ${driver}`, hint: 'remove auth' });
    }
  }
};
