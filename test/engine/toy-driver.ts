/**
 * A toy driver over the toy kernel (toy-kernel.ts), shaped like a real one: disks (size fixed at
 * creation: a change forces replace; `serial` is identity), LUNs mapping a disk (in-place move
 * with `replace`), users with a secret. Desired state comes from `model.toy`.
 */
import type { Change, FieldChange, Impact, Op, Stage } from '../../reconciler/core/change.js';
import type { Driver } from '../../reconciler/core/driver.js';
import type { Resource, Snapshot } from '../../reconciler/core/resource.js';
import type { Host } from '../../reconciler/host/host.js';
import type { SanformModel } from '../../schema/model.js';
import { fingerprint, secretToken } from '../../reconciler/secrets.js';
import { TOY } from './toy-kernel.js';

export interface ToyModel {
  disks?: Record<string, { size: number; label?: string; serial?: string }>;
  luns?: Record<string, string>;
  users?: Record<string, string>;
}

export const toyModel = (toy: ToyModel): SanformModel => ({ version: 1, toy }) as unknown as SanformModel;

const disk = (name: string, spec: Record<string, unknown>): Resource => ({
  address: `toy/disk/${name}`, kind: 'toy.disk', driver: 'toy', spec, deps: [],
});
const lun = (n: string, d: string, sessions?: string[]): Resource => ({
  address: `toy/lun/${n}`, kind: 'toy.lun', driver: 'toy', spec: { disk: d }, deps: [`toy/disk/${d}`],
  ...(sessions?.length ? { status: { sessions } } : {}),
});
const user = (name: string, secret: string): Resource => ({
  address: `toy/user/${name}`, kind: 'toy.user', driver: 'toy', spec: { secret }, deps: [],
});
const nameOf = (address: string): string => address.slice(address.lastIndexOf('/') + 1);

async function observeToy(host: Host): Promise<Resource[]> {
  const out: Resource[] = [];
  const rd = async (p: string) => (await host.sysfs.read(p)).trim();
  for (const d of (await host.sysfs.list(`${TOY}/disks`)).filter((x) => x !== 'mgmt')) {
    const base = `${TOY}/disks/${d}`;
    const spec: Record<string, unknown> = { size: Number(await rd(`${base}/size`)) };
    const label = await rd(`${base}/label`);
    const serial = await rd(`${base}/serial`);
    if (label) spec.label = label;
    if (serial) spec.serial = serial;
    out.push(disk(d, spec));
  }
  for (const n of (await host.sysfs.list(`${TOY}/luns`)).filter((x) => x !== 'mgmt')) {
    out.push(lun(n, await rd(`${TOY}/luns/${n}/disk`)));
  }
  for (const u of (await host.sysfs.list(`${TOY}/users`)).filter((x) => x !== 'mgmt')) {
    out.push(user(u, fingerprint(await rd(`${TOY}/users/${u}/secret`))));
  }
  return out;
}

function compareToy(before: Resource, after: Resource): FieldChange[] {
  const out: FieldChange[] = [];
  for (const [k, v] of Object.entries(after.spec)) {
    if (v === undefined) continue; // unset in the file: not managed
    const old = (before.spec as Record<string, unknown>)[k];
    if (old !== v) out.push({ field: k, before: old, after: v, inPlace: !(after.kind === 'toy.disk' && k === 'size') });
  }
  return out;
}

function classifyToy(c: Change, observed: Snapshot): Impact[] {
  const name = nameOf(c.address);
  if (c.kind === 'toy.disk') {
    if (c.action === 'delete' || c.action === 'replace') return [{ class: 'data-loss', detail: `destroys disk ${name}` }];
    if (c.fields.some((f) => f.field === 'serial') && c.action === 'update') return [{ class: 'identity', detail: `changes the serial of ${name}` }];
    return [{ class: 'benign', detail: `${c.action} disk ${name}` }];
  }
  if (c.kind === 'toy.lun' && c.action !== 'create') {
    const sessions = ((observed.resources.get(c.address)?.status as { sessions?: string[] } | undefined)?.sessions) ?? [];
    const out: Impact[] = [{ class: 'io-disruptive', detail: `${c.action === 'delete' ? 'removes' : 'remaps'} LUN ${name}` }];
    if (sessions.length) out.push({ class: 'session', detail: `LUN ${name} is in use`, sessions });
    return out;
  }
  return [{ class: 'benign', detail: `${c.action} ${c.address}` }];
}

function stageToy(c: Change): Stage {
  if (c.action === 'delete') return c.kind === 'toy.lun' ? 'teardown-bindings' : 'teardown-objects';
  if (c.kind === 'toy.lun') return 'bindings';
  return c.action === 'update' ? 'attributes' : 'create-objects';
}

function diskOps(c: Change): Op[] {
  const name = nameOf(c.address);
  const base = `${TOY}/disks/${name}`;
  const ops: Op[] = [];
  if (c.action === 'delete' || c.action === 'replace') {
    ops.push({ type: 'mgmt', path: `${TOY}/disks/mgmt`, command: `del_disk ${name}`, ...(c.action === 'delete' ? { verify: { path: base, exists: false } } : {}) });
  }
  if (c.action === 'delete') return ops;
  const spec = c.after!.spec as { size: number; label?: string; serial?: string };
  if (c.action !== 'update') ops.push({ type: 'mgmt', path: `${TOY}/disks/mgmt`, command: `add_disk ${name} size=${spec.size}`, verify: { path: base, exists: true } });
  for (const f of ['label', 'serial'] as const) {
    const v = spec[f];
    if (v === undefined) continue;
    const old = c.action === 'update' ? (c.before!.spec as Record<string, unknown>)[f] : undefined;
    if (c.action === 'update' && old === v) continue;
    ops.push({ type: 'write', path: `${base}/${f}`, value: v, ...(c.action === 'update' ? { expect: String(old ?? '') } : {}), verify: { path: `${base}/${f}`, value: v } });
  }
  return ops;
}

function opsToy(c: Change): Op[] {
  const name = nameOf(c.address);
  if (c.kind === 'toy.disk') return diskOps(c);
  if (c.kind === 'toy.lun') {
    const mgmt = `${TOY}/luns/mgmt`;
    const d = (c.after?.spec as { disk?: string } | undefined)?.disk;
    if (c.action === 'delete') return [{ type: 'mgmt', path: mgmt, command: `del ${name}`, verify: { path: `${TOY}/luns/${name}`, exists: false } }];
    const verb = c.action === 'update' ? 'replace' : 'add';
    return [{ type: 'mgmt', path: mgmt, command: `${verb} ${name} ${d}`, verify: { path: `${TOY}/luns/${name}/disk`, value: d! } }];
  }
  const mgmt = `${TOY}/users/mgmt`;
  if (c.action === 'delete') return [{ type: 'mgmt', path: mgmt, command: `del ${name}` }];
  const secretName = (c.after!.meta as { secretName?: string } | undefined)?.secretName ?? name;
  const write: Op = { type: 'write', path: `${TOY}/users/${name}/secret`, value: secretToken(secretName) };
  return c.action === 'update' ? [write] : [{ type: 'mgmt', path: mgmt, command: `add ${name}`, verify: { path: `${TOY}/users/${name}`, exists: true } }, write];
}

export const toyDriver = {
  name: 'toy',
  kinds: ['toy.disk', 'toy.lun', 'toy.user'],
  observe: observeToy,
  desired(model, ctx) {
    const toy = (model as unknown as { toy?: ToyModel }).toy ?? {};
    const out: Resource[] = [];
    for (const [n, d] of Object.entries(toy.disks ?? {})) {
      out.push(disk(n, Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined))));
    }
    for (const [n, d] of Object.entries(toy.luns ?? {})) out.push(lun(n, d));
    for (const [n, s] of Object.entries(toy.users ?? {})) {
      out.push({ ...user(n, ctx.secrets.fingerprint(s)), meta: { secretName: s } as Resource['meta'] });
    }
    return out;
  },
  managedKinds: () => ['toy.disk', 'toy.lun', 'toy.user'],
  compare: compareToy,
  classify: classifyToy,
  stage: stageToy,
  ops: opsToy,
  prune: (r) => (r.address.startsWith('toy/user/keep') ? 'keep' : 'delete'),
  cascades: (removed, other) =>
    removed.kind === 'toy.disk' && other.kind === 'toy.lun' && (other.spec as { disk?: string }).disk === nameOf(removed.address),
  // one LUN set: a disk at another LUN number is the same LUN renumbered
  identityKey: (r) => {
    const d = (r.spec as { disk?: string }).disk;
    return r.kind === 'toy.lun' && d !== undefined ? { key: d, object: `disk ${d}`, identity: `LUN ${nameOf(r.address)}` } : undefined;
  },
} satisfies Driver;

export const toyResources = { disk, lun, user };
