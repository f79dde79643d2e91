/**
 * The btier driver's steps: desired, default-aware compare (members through symlinks are not
 * compared after creation), classify (btier_setup -c over members that carry a signature is
 * data-loss and names them; re-assembling members that carry btier's magic is not), exact ops,
 * stage/prune/unavailable, block devices, import.
 */
import type { Change, FieldChange, Impact, Op, Stage } from '../../reconciler/core/change.js';
import type { DesiredContext, Unavailable } from '../../reconciler/core/driver.js';
import type { Resource, Snapshot } from '../../reconciler/core/resource.js';
import type { AttrValue, BtierSpec, SanformModel } from '../../schema/model.js';
import { samePath } from '../../reconciler/stack/paths.js';
import type { TierSpec, TierStatus } from './kinds.js';
import { ATTR_DEFAULTS, addr, nameOf } from './kinds.js';

const onNode = (s: BtierSpec, node: string) => s.node === undefined || (Array.isArray(s.node) ? s.node.includes(node) : s.node === node);
const str = (v: AttrValue) => String(typeof v === 'boolean' ? Number(v) : v);

export function desired(model: SanformModel, ctx: DesiredContext): Resource[] {
  return Object.entries(model.storage?.btier ?? {})
    .filter(([, t]) => onNode(t, ctx.node))
    .map(([name, t]) => {
      const spec: TierSpec = { devices: [...t.devices] };
      if (t.attributes) spec.attributes = { ...t.attributes };
      return { address: addr.device(name), kind: 'btier.device', driver: 'btier', spec: spec as unknown as Record<string, unknown>, deps: [] };
    });
}

export const managedKinds = (model: SanformModel): string[] => (model.storage?.btier ? ['btier.device'] : []);

export function compare(before: Resource, after: Resource): FieldChange[] {
  const b = before.spec as unknown as TierSpec;
  const a = after.spec as unknown as TierSpec;
  const out: FieldChange[] = [];
  if (a.devices.length !== b.devices.length || a.devices.some((d, i) => !samePath(d, b.devices[i] as string))) {
    out.push({ field: 'devices', before: b.devices, after: a.devices, inPlace: false });
  }
  for (const [k, v] of Object.entries(a.attributes ?? {})) {
    const live = b.attributes?.[k];
    if (live === undefined || str(live) !== str(v)) out.push({ field: `attributes.${k}`, before: live, after: v, inPlace: true });
  }
  return out;
}

const signatures = (observed: Snapshot): Record<string, string> =>
  ((observed.resources.get(addr.layer())?.status ?? {}) as { signatures?: Record<string, string> }).signatures ?? {};

/** Every member already carries btier's magic: assemble, do not format. */
const assembles = (members: string[], observed: Snapshot): boolean => members.every((m) => /^btier\b/.test(signatures(observed)[m] ?? ''));

export function classify(change: Change, observed: Snapshot): Impact[] {
  const name = nameOf(change.address);
  const after = change.after?.spec as unknown as TierSpec | undefined;
  if (change.action === 'create' || change.action === 'replace') {
    const members = (after as TierSpec).devices;
    if (change.action === 'create' && assembles(members, observed)) return [{ class: 'benign', detail: `re-assembles /dev/${name} from members that carry btier's magic` }];
    const used = members.filter((m) => signatures(observed)[m]).map((m) => `${m} (${signatures(observed)[m]})`);
    if (change.action === 'replace') return [{ class: 'data-loss', detail: `re-creates /dev/${name} with btier_setup -c: the data on every member is lost` }];
    if (used.length) return [{ class: 'data-loss', detail: `btier_setup -c formats members that carry data: ${used.join(', ')}` }];
    return [{ class: 'benign', detail: `creates /dev/${name} over blank members` }];
  }
  if (change.action === 'delete') return [{ class: 'io-disruptive', detail: `detaches /dev/${name} (its members keep their data and btier's magic)` }];
  return change.fields.map((f) => ({ class: 'benign' as const, detail: `${f.field.replace(/^attributes\./, '')} ${String(f.before)} -> ${String(f.after)}` }));
}

export function stage(change: Change): Stage {
  if (change.action === 'delete') return 'teardown-objects';
  return change.action === 'update' ? 'attributes' : 'create-objects';
}

const attrOp = (name: string, k: string, v: AttrValue): Op => ({ type: 'write', path: `/sys/block/${name}/tier/${k}`, value: str(v), verify: { path: `/sys/block/${name}/tier/${k}`, value: str(v) } });

function create(name: string, spec: TierSpec, format: boolean): Op[] {
  const argv = ['btier_setup', '-f', spec.devices.join(':'), ...(format ? ['-c'] : [])];
  const setup: Op = { type: 'exec', argv };
  return [setup, ...Object.entries(spec.attributes ?? {}).map(([k, v]) => attrOp(name, k, v))];
}

export function ops(change: Change, observed: Snapshot): Op[] {
  const name = nameOf(change.address);
  const after = change.after?.spec as unknown as TierSpec;
  const detach: Op = { type: 'exec', argv: ['btier_setup', '-d', `/dev/${name}`] };
  switch (change.action) {
    case 'create':
      return create(name, after, !assembles(after.devices, observed));
    case 'replace':
      return [detach, ...create(name, after, true)];
    case 'delete':
      return [detach];
    case 'update':
      return change.fields.filter((f) => f.field.startsWith('attributes.')).map((f) => attrOp(name, f.field.slice(11), f.after as AttrValue));
    default:
      return [];
  }
}

export const prune = (observed: Resource): 'delete' | 'keep' => (observed.kind === 'btier.layer' ? 'keep' : 'delete');

/**
 * btier names devices sdtiera, sdtierb ... in assembly order: another name never appears. A
 * member that is not on the machine (not under /sys/block, and no layer of the plan makes it)
 * cannot be assembled: said here, not an ENOENT from btier_setup at apply time.
 */
export function unavailable(change: Change, observed: Snapshot): Unavailable | undefined {
  if (change.action !== 'create' && change.action !== 'replace') return undefined;
  const name = nameOf(change.address);
  if (!/^sdtier[a-z]$/.test(name)) {
    return { reason: `btier names its devices sdtiera, sdtierb ...; ${change.address} would never appear as /dev/${name}`, hint: `rename storage.btier.${name} to sdtierX (the next free letter)` };
  }
  const missing = absentMembers(change, observed);
  if (missing.length) return { reason: `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not on this machine`, hint: 'plug the missing member back in (or fix the device path in the file)' };
  return undefined;
}

/** Plain /dev/NAME members missing from /sys/block, unless the change waits for another layer. */
function absentMembers(change: Change, observed: Snapshot): string[] {
  const present = ((observed.resources.get(addr.layer())?.status ?? {}) as { present?: string[] }).present;
  if (!present || !change.after || (change.after.deps ?? []).some((d) => !d.startsWith('btier/'))) return [];
  const have = new Set(present);
  return (change.after.spec as unknown as TierSpec).devices.filter((d) => /^\/dev\/[^/]+$/.test(d) && !have.has(d.slice(5)));
}

export function blockDevices(r: Resource): { provides?: readonly string[]; uses?: readonly string[]; kernelName?: string } | undefined {
  if (r.kind !== 'btier.device') return undefined;
  const st = r.status as Partial<TierStatus> | undefined;
  return { provides: [`/dev/${nameOf(r.address)}`], uses: (r.spec as unknown as TierSpec).devices, ...(st?.kernelName ? { kernelName: st.kernelName } : {}) };
}

export function importModel(observed: readonly Resource[]): Partial<SanformModel> {
  const btier: Record<string, BtierSpec> = {};
  for (const r of observed) {
    if (r.kind !== 'btier.device') continue;
    const s = r.spec as unknown as TierSpec;
    const attributes = Object.fromEntries(Object.entries(s.attributes ?? {}).filter(([k, v]) => ATTR_DEFAULTS[k] !== str(v)).map(([k, v]) => [k, /^\d+$/.test(str(v)) ? Number(v) : v]));
    btier[nameOf(r.address)] = { devices: [...s.devices], ...(Object.keys(attributes).length ? { attributes } : {}) };
  }
  return Object.keys(btier).length ? { storage: { btier } } : {};
}
