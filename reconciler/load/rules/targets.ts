/**
 * Relative target port ids: two enabled targets on one node may not share a relTgtId (the kernel
 * refuses the second with EBADSLT). perNode values and `node:` scoping are applied per node.
 */
import { at, isObj, objEntries } from './context.js';
import type { Obj, Rule } from './context.js';
import type { PathSeg } from '../sources.js';

const onNode = (tgt: Obj, node: string | undefined): boolean =>
  node === undefined || tgt.node === undefined || tgt.node === node || (Array.isArray(tgt.node) && tgt.node.includes(node));

export const targetRules: Rule = (ctx) => {
  const nodes: (string | undefined)[] = isObj(ctx.data.nodes) && Object.keys(ctx.data.nodes).length > 0 ? Object.keys(ctx.data.nodes) : [undefined];
  const reported = new Set<string>();
  for (const node of nodes) {
    const seen = new Map<number, string>();
    for (const [driver, targets] of objEntries(at(ctx.data, 'scst', 'targets'))) {
      for (const [name, tgt] of objEntries(targets)) {
        if (!onNode(tgt, node)) continue;
        const over = node !== undefined && isObj(tgt.perNode) && isObj(tgt.perNode[node]) ? (tgt.perNode[node] as Obj) : {};
        const id = 'relTgtId' in over ? over.relTgtId : tgt.relTgtId;
        const enabled = 'enabled' in over ? over.enabled : tgt.enabled;
        if (typeof id !== 'number' || enabled === false) continue;
        const first = seen.get(id);
        if (first === undefined) {
          seen.set(id, `${driver}/${name}`);
          continue;
        }
        const path: PathSeg[] = 'relTgtId' in over ? ['scst', 'targets', driver, name, 'perNode', node as string, 'relTgtId'] : ['scst', 'targets', driver, name, 'relTgtId'];
        const key = `${path.join('\u0000')}|${id}`;
        if (reported.has(key)) continue;
        reported.add(key);
        ctx.report({
          path, at: 'value', code: 'REL_TGT_ID_TWICE',
          message: `relTgtId ${id} is also used by target ${first}${node ? ` on node ${node}` : ''}; enabled targets need distinct ids`,
          hint: 'give each target its own relTgtId (1..65535)',
        });
      }
    }
  }
};
