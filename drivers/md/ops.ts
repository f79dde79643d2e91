/**
 * ops: the exact mdadm command lines (argv, never a shell) and mdadm.conf. A created array gets
 * a UUID chosen here (`--uuid`), so its ARRAY line can be written in the same plan.
 */
import type { Change, Op } from '../../reconciler/core/change.js';
import type { Snapshot } from '../../reconciler/core/resource.js';
import { mdUuid } from './emulator/index.js';
import { addr, devicePath, MDADM_CONF, type ArraySpec, type ArrayStatus } from './kinds.js';

const mdadm = (...args: string[]): Op => ({ type: 'exec', argv: ['mdadm', ...args] });
const kb = (bytes: number): string => `${bytes / 1024}K`;

/** The UUID sanform gives an array it creates (stable, so plan and mdadm.conf agree). */
export const plannedUuid = (name: string): string => mdUuid(`sanform:md:${name}`);

function create(a: ArraySpec & { order?: string[] }): Op[] {
  const members = a.order?.length ? a.order : a.devices;
  return [
    mdadm(
      '--create', devicePath(a.name), '--run', `--level=${a.level}`, `--raid-devices=${members.length}`,
      ...(a.chunk ? [`--chunk=${kb(a.chunk)}`] : []), `--metadata=${a.metadata}`, `--name=${a.name}`, `--uuid=${plannedUuid(a.name)}`,
      ...(a.spares.length ? [`--spare-devices=${a.spares.length}`] : []), ...members, ...a.spares,
    ),
  ];
}

function remove(a: ArraySpec, dev: string): Op[] {
  return [mdadm('--stop', dev), mdadm('--zero-superblock', ...a.devices, ...a.spares)];
}

function update(c: Change): Op[] {
  const b = c.before!.spec as unknown as ArraySpec;
  const a = c.after!.spec as unknown as ArraySpec;
  const dev = `/dev/${(c.before!.status as unknown as ArrayStatus).kernel}`;
  const ops: Op[] = [];
  const gone = (x: string[], y: string[]) => x.filter((d) => !y.includes(d));
  const outDevs = gone(b.devices, a.devices);
  const inDevs = gone(a.devices, b.devices);
  const outSpares = gone(b.spares, a.spares);
  const inSpares = gone(a.spares, b.spares);
  for (const d of [...outDevs, ...outSpares]) ops.push(mdadm(dev, ...(outDevs.includes(d) ? ['--fail', d] : []), '--remove', d));
  for (const d of [...inDevs, ...inSpares]) ops.push(mdadm(dev, '--add', d));
  if (a.devices.length !== b.devices.length) ops.push(mdadm('--grow', dev, `--raid-devices=${a.devices.length}`));
  if (a.chunk !== undefined && a.chunk !== b.chunk) ops.push(mdadm('--grow', dev, `--chunk=${kb(a.chunk)}`));
  return ops;
}

function conf(c: Change, observed: Snapshot): Op[] {
  const names = (c.after!.spec as { arrays: string[] }).arrays;
  const lines = names.map((n) => {
    const live = observed.resources.get(addr.array(n));
    const s = live?.spec as unknown as ArraySpec | undefined;
    const uuid = (live?.status as unknown as ArrayStatus | undefined)?.uuid ?? plannedUuid(n);
    return `ARRAY /dev/md/${n} metadata=${s?.metadata ?? '1.2'} UUID=${uuid}`;
  });
  const content = ['# mdadm.conf written by sanform: the arrays of the desired state, assembled at boot', 'MAILADDR root', ...lines, ''].join('\n');
  return [{ type: 'file', path: MDADM_CONF, content }];
}

export function ops(c: Change, observed: Snapshot): Op[] {
  if (c.kind === 'md.conf') return c.action === 'delete' ? [] : conf(c, observed);
  if (c.kind !== 'md.array') return [];
  const before = c.before?.spec as unknown as ArraySpec | undefined;
  const after = c.after?.spec as unknown as ArraySpec | undefined;
  const dev = c.before ? `/dev/${(c.before.status as unknown as ArrayStatus).kernel}` : '';
  if (c.action === 'create') return create(after!);
  if (c.action === 'delete') return remove(before!, dev);
  if (c.action === 'replace') return [...remove(before!, dev), ...create(after!)];
  return update(c);
}
