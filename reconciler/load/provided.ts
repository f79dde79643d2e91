/**
 * Block devices the storage section itself provides, so an SCST device whose `filename` is one
 * of them resolves to the layer that creates it (and the plan orders that layer first).
 */
import type { NodeScoped, SanformModel } from '../../schema/model.js';
import type { Address } from '../core/resource.js';

const onNode = (spec: NodeScoped, node?: string): boolean => {
  if (node === undefined || spec.node === undefined) return true;
  return Array.isArray(spec.node) ? spec.node.includes(node) : spec.node === node;
};

/** device-mapper escapes `-` inside VG and LV names by doubling it. */
const dmName = (vg: string, lv: string): string => `${vg.replaceAll('-', '--')}-${lv.replaceAll('-', '--')}`;

/**
 * Device path -> address of the object providing it, for the given node (absent: all nodes):
 * md `/dev/mdN` and `/dev/md/NAME`, LVM `/dev/VG/LV` and `/dev/mapper/VG-LV`, DRBD volume devices
 * (`/dev/drbdN` and `/dev/drbd/by-res/RES/VOL`),
 * bcache and btier `/dev/NAME`.
 */
export function providedDevices(model: SanformModel, node?: string): Map<string, Address> {
  const out = new Map<string, Address>();
  const s = model.storage ?? {};
  for (const [name, md] of Object.entries(s.md ?? {})) {
    if (!onNode(md, node)) continue;
    // the md driver's address is the md name (`/dev/md/NAME`); a name of the form mdN is /dev/mdN too
    const mdName = md.name ?? name;
    const addr = `md/array/${mdName}`;
    if (/^md\d+$/.test(mdName)) out.set(`/dev/${mdName}`, addr);
    out.set(`/dev/md/${mdName}`, addr);
  }
  for (const [vg, spec] of Object.entries(s.lvm ?? {})) {
    if (!onNode(spec, node)) continue;
    for (const lv of Object.keys(spec.lvs ?? {})) {
      out.set(`/dev/${vg}/${lv}`, `lvm/lv/${vg}/${lv}`);
      out.set(`/dev/mapper/${dmName(vg, lv)}`, `lvm/lv/${vg}/${lv}`);
    }
  }
  for (const [res, spec] of Object.entries(s.drbd ?? {})) {
    if (node !== undefined && spec.nodes && !(node in spec.nodes)) continue;
    for (const [n, vol] of Object.entries(spec.volumes ?? {})) {
      out.set(vol.device, `drbd/resource/${res}`);
      out.set(`/dev/drbd/by-res/${res}/${n}`, `drbd/resource/${res}`);
    }
  }
  for (const [name, spec] of Object.entries(s.bcache ?? {})) {
    if (onNode(spec, node)) out.set(`/dev/${name}`, `bcache/${name}`);
  }
  for (const [name, spec] of Object.entries(s.btier ?? {})) {
    if (onNode(spec, node)) out.set(`/dev/${name}`, `btier/${name}`);
  }
  return out;
}
