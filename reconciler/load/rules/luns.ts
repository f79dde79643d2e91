/**
 * LUN masking references: every LUN names a declared device; an initiator (or pattern) appears in
 * at most one group of a target; CHAP users are unique per scope and their secrets are declared.
 */
import { suggestion } from '../suggest.js';
import { at, isObj, listOf, objEntries } from './context.js';
import type { Obj, Rule, RuleCtx } from './context.js';
import type { PathSeg } from '../sources.js';

const deviceNames = (ctx: RuleCtx): Set<string> => new Set(isObj(at(ctx.data, 'scst', 'devices')) ? Object.keys(at(ctx.data, 'scst', 'devices') as Obj) : []);

function checkLuns(ctx: RuleCtx, { path, luns, devices }: { path: PathSeg[]; luns: unknown; devices: Set<string> }): void {
  if (!isObj(luns)) return;
  for (const [n, lun] of Object.entries(luns)) {
    const dev = typeof lun === 'string' ? lun : isObj(lun) && typeof lun.device === 'string' ? lun.device : undefined;
    if (dev === undefined || devices.has(dev)) continue;
    const where = typeof lun === 'string' ? [...path, n] : [...path, n, 'device'];
    ctx.report({ path: where, at: 'value', code: 'UNKNOWN_DEVICE', message: `LUN ${n} names device '${dev}', which scst.devices does not declare`, hint: `declare it under scst.devices, or fix the name: ${suggestion(dev, [...devices])}` });
  }
}

function checkInitiators(ctx: RuleCtx, path: PathSeg[], groups: unknown): void {
  const seen = new Map<string, string>();
  for (const [g, group] of objEntries(groups)) {
    listOf(group.initiators).forEach((ini, i) => {
      if (typeof ini !== 'string') return;
      const first = seen.get(ini);
      if (first === undefined) {
        seen.set(ini, g);
        return;
      }
      ctx.report({
        path: [...path, g, 'initiators', i], at: 'value', code: 'INITIATOR_TWICE',
        message: first === g ? `initiator '${ini}' is listed twice in group '${g}'` : `initiator '${ini}' is in groups '${first}' and '${g}' of this target; SCST allows one`,
        hint: first === g ? 'remove the repeated entry' : `keep it in one group (to move it, delete it from '${first}')`,
      });
    });
  }
}

/** CHAP users: secrets exist, and a user name appears once per scope. */
function checkAuth(ctx: RuleCtx, { path, auth, secrets }: { path: PathSeg[]; auth: unknown; secrets: string[] }): void {
  if (!isObj(auth)) return;
  const users = new Set<string>();
  const one = (u: unknown, p: PathSeg[]): void => {
    if (!isObj(u)) return;
    if (typeof u.secret === 'string' && !secrets.includes(u.secret)) {
      ctx.report({ path: [...p, 'secret'], at: 'value', code: 'UNKNOWN_SECRET', message: `secret '${u.secret}' is not declared in secrets`, hint: `add \`secrets: { ${u.secret}: { file: /etc/sanform/secrets/${u.secret} } }\`, or fix the name: ${suggestion(u.secret, secrets)}` });
    }
    if (typeof u.user === 'string' && p.includes('incoming')) {
      if (users.has(u.user)) ctx.report({ path: [...p, 'user'], at: 'value', code: 'CHAP_USER_TWICE', message: `CHAP user '${u.user}' is declared twice here (the kernel refuses a duplicate user name)`, hint: 'keep one entry per user name' });
      users.add(u.user);
    }
  };
  listOf(auth.incoming).forEach((u, i) => one(u, [...path, 'incoming', i]));
  one(auth.outgoing, [...path, 'outgoing']);
}

export const lunRules: Rule = (ctx) => {
  const devices = deviceNames(ctx);
  const secretsObj = at(ctx.data, 'secrets');
  const secrets = isObj(secretsObj) ? Object.keys(secretsObj) : [];
  for (const [driver, targets] of objEntries(at(ctx.data, 'scst', 'targets'))) {
    for (const [name, tgt] of objEntries(targets)) {
      const base: PathSeg[] = ['scst', 'targets', driver, name];
      checkLuns(ctx, { path: [...base, 'luns'], luns: tgt.luns, devices });
      for (const [g, group] of objEntries(tgt.groups)) checkLuns(ctx, { path: [...base, 'groups', g, 'luns'], luns: group.luns, devices });
      checkInitiators(ctx, [...base, 'groups'], tgt.groups);
      checkAuth(ctx, { path: [...base, 'auth'], auth: tgt.auth, secrets });
    }
  }
  for (const [driver, spec] of objEntries(at(ctx.data, 'scst', 'drivers'))) checkAuth(ctx, { path: ['scst', 'drivers', driver, 'auth'], auth: spec.auth, secrets });
};
