/**
 * ALUA references (scst-sysfs.md §1.7): group members are declared devices, a device is in at most
 * one device group, a target is in at most one target group of a device group, and group ids are
 * unique within a device group.
 */
import { suggestion } from '../suggest.js';
import { at, isObj, objEntries } from './context.js';
import type { Rule, RuleCtx } from './context.js';
import type { PathSeg } from '../sources.js';

const targetNamesOf = (targets: unknown): string[] =>
  Array.isArray(targets) ? targets.filter((t): t is string => typeof t === 'string') : isObj(targets) ? Object.keys(targets) : [];

function declaredTargets(ctx: RuleCtx): Set<string> {
  const out = new Set<string>();
  for (const [, targets] of objEntries(at(ctx.data, 'scst', 'targets'))) for (const name of Object.keys(targets)) out.add(name);
  return out;
}

function checkTargetGroups(ctx: RuleCtx, { dgPath, tgs, known }: { dgPath: PathSeg[]; tgs: unknown; known: Set<string> }): void {
  const members = new Map<string, string>();
  const ids = new Map<number, string>();
  for (const [tg, spec] of objEntries(tgs)) {
    const path = [...dgPath, 'targetGroups', tg];
    if (typeof spec.groupId === 'number') {
      const other = ids.get(spec.groupId);
      if (other !== undefined) ctx.report({ path: [...path, 'groupId'], at: 'value', code: 'ALUA_TARGET_TWICE', message: `groupId ${spec.groupId} is used by target groups '${other}' and '${tg}'`, hint: 'give each target group of a device group its own groupId' });
      else ids.set(spec.groupId, tg);
    }
    const list = targetNamesOf(spec.targets);
    list.forEach((t, i) => {
      const where: PathSeg[] = Array.isArray(spec.targets) ? [...path, 'targets', i] : [...path, 'targets', t];
      const first = members.get(t);
      if (first !== undefined) {
        ctx.report({ path: where, at: Array.isArray(spec.targets) ? 'value' : 'key', code: 'ALUA_TARGET_TWICE', message: `target '${t}' is in target groups '${first}' and '${tg}' of one device group; SCST allows one`, hint: 'list the target in one target group only' });
      } else members.set(t, tg);
      const remote = isObj(spec.targets) && isObj(spec.targets[t]) && typeof (spec.targets[t] as Record<string, unknown>).relTgtId === 'number';
      if (!known.has(t) && !remote) {
        ctx.report({ path: where, at: Array.isArray(spec.targets) ? 'value' : 'key', code: 'UNKNOWN_TARGET', severity: 'warning', message: `target '${t}' is not declared under scst.targets`, hint: 'declare it, or for a target of the other node write `targets: { NAME: { relTgtId: N } }`' });
      }
    });
  }
}

export const aluaRules: Rule = (ctx) => {
  const devObj = at(ctx.data, 'scst', 'devices');
  const devices = new Set(isObj(devObj) ? Object.keys(devObj) : []);
  const known = declaredTargets(ctx);
  const owner = new Map<string, string>();
  for (const [dg, spec] of objEntries(at(ctx.data, 'scst', 'alua', 'deviceGroups'))) {
    const path: PathSeg[] = ['scst', 'alua', 'deviceGroups', dg];
    (Array.isArray(spec.devices) ? spec.devices : []).forEach((d: unknown, i: number) => {
      if (typeof d !== 'string') return;
      const where: PathSeg[] = [...path, 'devices', i];
      if (!devices.has(d)) {
        ctx.report({ path: where, at: 'value', code: 'UNKNOWN_DEVICE', message: `ALUA device group '${dg}' names device '${d}', which scst.devices does not declare`, hint: suggestion(d, [...devices]) });
      }
      const first = owner.get(d);
      if (first !== undefined) {
        ctx.report({ path: where, at: 'value', code: 'ALUA_DEVICE_TWICE', message: `device '${d}' is in device groups '${first}' and '${dg}'; a device can be in one only`, hint: `remove it from '${first === dg ? dg : first}' or '${dg}'` });
      } else owner.set(d, dg);
    });
    checkTargetGroups(ctx, { dgPath: path, tgs: spec.targetGroups, known });
  }
};
