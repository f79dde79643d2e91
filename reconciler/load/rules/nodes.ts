/**
 * Node references: every `node:`, `perNode` key, ALUA target-group node and DRBD per-node section
 * names a node declared under `nodes`.
 */
import { suggestion } from '../suggest.js';
import { at, isObj, objEntries } from './context.js';
import type { Obj, Rule, RuleCtx } from './context.js';
import type { PathSeg } from '../sources.js';

interface Ref {
  name: string;
  path: PathSeg[];
  at: 'key' | 'value';
}

/** References made by `node:` (string or list) and `perNode:` keys of one object. */
function refsOf(obj: Obj, path: PathSeg[]): Ref[] {
  const out: Ref[] = [];
  if (typeof obj.node === 'string') out.push({ name: obj.node, path: [...path, 'node'], at: 'value' });
  if (Array.isArray(obj.node)) {
    obj.node.forEach((n, i) => typeof n === 'string' && out.push({ name: n, path: [...path, 'node', i], at: 'value' }));
  }
  if (isObj(obj.perNode)) for (const n of Object.keys(obj.perNode)) out.push({ name: n, path: [...path, 'perNode', n], at: 'key' });
  return out;
}

function collect(ctx: RuleCtx): Ref[] {
  const refs: Ref[] = [];
  const each = (path: PathSeg[]): void => {
    for (const [name, obj] of objEntries(at(ctx.data, ...(path as string[])))) refs.push(...refsOf(obj, [...path, name]));
  };
  each(['scst', 'devices']);
  for (const [driver] of objEntries(at(ctx.data, 'scst', 'targets'))) each(['scst', 'targets', driver]);
  for (const layer of ['md', 'lvm', 'bcache', 'btier']) each(['storage', layer]);
  for (const [res, spec] of objEntries(at(ctx.data, 'storage', 'drbd'))) {
    if (isObj(spec.nodes)) for (const n of Object.keys(spec.nodes)) refs.push({ name: n, path: ['storage', 'drbd', res, 'nodes', n], at: 'key' });
  }
  for (const [dg, spec] of objEntries(at(ctx.data, 'scst', 'alua', 'deviceGroups'))) {
    for (const [tg, t] of objEntries(spec.targetGroups)) refs.push(...refsOf(t, ['scst', 'alua', 'deviceGroups', dg, 'targetGroups', tg]));
  }
  return refs;
}

export const nodeRules: Rule = (ctx) => {
  const declared = isObj(ctx.data.nodes) ? Object.keys(ctx.data.nodes) : [];
  for (const ref of collect(ctx)) {
    if (declared.includes(ref.name)) continue;
    ctx.report({
      path: ref.path, at: ref.at, code: 'UNKNOWN_NODE',
      message: `node '${ref.name}' is not declared under nodes`,
      hint: declared.length === 0 ? `declare the pair: \`nodes: { ${ref.name}: { address: ... } }\`` : suggestion(ref.name, declared),
    });
  }
};
