/** Storage references the schema cannot see: an lvmcache pool is another LV of the same VG. */
import { at, isObj, objEntries } from './context.js';
import type { Rule } from './context.js';
import { suggestion } from '../suggest.js';

export const storageRules: Rule = (ctx) => {
  for (const [vg, spec] of objEntries(at(ctx.data, 'storage', 'lvm'))) {
    const lvs = isObj(spec.lvs) ? Object.keys(spec.lvs) : [];
    for (const [lv, lvSpec] of objEntries(spec.lvs)) {
      const pool = isObj(lvSpec.cache) ? lvSpec.cache.pool : undefined;
      if (typeof pool !== 'string' || (pool !== lv && lvs.includes(pool))) continue;
      ctx.report({
        path: ['storage', 'lvm', vg, 'lvs', lv, 'cache', 'pool'], at: 'value', code: 'UNKNOWN_LV',
        message: pool === lv ? `LV '${lv}' cannot cache itself` : `cache pool '${pool}' is not an LV of volume group '${vg}'`,
        hint: `declare the pool under storage.lvm.${vg}.lvs (${suggestion(pool, lvs.filter((x) => x !== lv))})`,
      });
    }
  }
};
