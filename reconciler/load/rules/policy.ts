/**
 * Policy references: approvals name a well-formed address (DESIGN §3 grammar); drift-ignore rules
 * name an address or an address prefix ending in `/*`.
 */
import { addressKind, isAddressPattern } from '../address.js';
import { at, isObj, listOf } from './context.js';
import type { Rule } from './context.js';

const GRAMMAR = 'e.g. scst/device/NAME, scst/target/DRIVER/TARGET[/group/G][/lun/N], drbd/resource/R, lvm/lv/VG/LV, md/array/NAME';

export const policyRules: Rule = (ctx) => {
  listOf(at(ctx.data, 'policy', 'approvals')).forEach((a, i) => {
    if (!isObj(a) || typeof a.address !== 'string' || addressKind(a.address) !== undefined) return;
    ctx.report({ path: ['policy', 'approvals', i, 'address'], at: 'value', code: 'ADDRESS_INVALID', message: `'${a.address}' is not a sanform address`, hint: GRAMMAR });
  });
  listOf(at(ctx.data, 'policy', 'drift', 'ignore')).forEach((r, i) => {
    if (!isObj(r) || typeof r.address !== 'string' || isAddressPattern(r.address)) return;
    ctx.report({ path: ['policy', 'drift', 'ignore', i, 'address'], at: 'value', code: 'ADDRESS_INVALID', message: `'${r.address}' is neither an address nor a prefix ending in /*`, hint: GRAMMAR });
  });
};
