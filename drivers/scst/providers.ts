/**
 * Which storage-layer object provides a block device path (the dependency of an SCST device on
 * the layer under it, DESIGN §5 layer order). Derived from the storage section of the model.
 */
import type { SanformModel } from '../../schema/model.js';

export function providerOf(model: SanformModel, filename: string): string | undefined {
  const s = model.storage ?? {};
  const m = /^\/dev\/(?:md\/)?([^/]+)$/.exec(filename);
  if (m && s.md?.[m[1]]) return `md/array/${m[1]}`;
  for (const [res, r] of Object.entries(s.drbd ?? {})) {
    if (Object.values(r.volumes ?? {}).some((v) => v.device === filename)) return `drbd/resource/${res}`;
  }
  if (m && s.bcache?.[m[1]]) return `bcache/${m[1]}`;
  if (m && s.btier?.[m[1]]) return `btier/${m[1]}`;
  const lv = /^\/dev\/([^/]+)\/([^/]+)$/.exec(filename) ?? /^\/dev\/mapper\/([^-]+(?:--[^-]+)*)-(.+)$/.exec(filename);
  if (lv) {
    const vg = lv[1].replace(/--/g, '-');
    const name = lv[2].replace(/--/g, '-');
    if (s.lvm?.[vg]?.lvs?.[name]) return `lvm/lv/${vg}/${name}`;
  }
  return undefined;
}
