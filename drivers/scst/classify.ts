/**
 * classify(change, observed): the impact classes of a change. SCST itself never destroys data:
 * deleting a device only closes its backing store, so this driver never reports `data-loss`
 * (that belongs to the storage layers under it). Session impacts name the initiators logged in.
 */
import type { Change, Impact } from '../../reconciler/core/change.js';
import type { Snapshot } from '../../reconciler/core/resource.js';
import { parseAddr } from './address.js';
import { rulesFor } from './attrs.js';
import { lunsOfDevice, sessionsOf, sessionsOfDriver, sessionsOfLun, uniq } from './sessions.js';

type Ctx = { change: Change; observed: Snapshot; out: Impact[] };

export function classify(change: Change, observed: Snapshot): Impact[] {
  const c: Ctx = { change, observed, out: [] };
  const p = parseAddr(change.address);
  switch (change.kind) {
    case 'scst.device':
      device(c, p.dev!);
      break;
    case 'scst.target':
      target(c, p.drv!, p.tgt!);
      break;
    case 'scst.target-enabled':
    case 'scst.driver-enabled':
      enabled(c, p.drv!, p.tgt);
      break;
    case 'scst.lun':
      lun(c);
      break;
    case 'scst.group':
      if (change.action === 'delete' || change.action === 'replace') {
        add(c, 'io-disruptive', `deletes initiator group ${p.group}`);
        session(c, sessionsOf(observed, p.drv!, p.tgt!, p.group!), `group ${p.group} has live sessions (the kernel refuses with EBUSY)`);
      }
      break;
    case 'scst.initiator':
      initiator(c, p.drv!, p.tgt!, p.name!);
      break;
    case 'scst.chap-user':
    case 'scst.allowed-portal':
      if (p.tgt) session(c, sessionsOf(observed, p.drv!, p.tgt), 'changes who may log in to a target with live sessions');
      break;
    case 'scst.alua-tg':
    case 'scst.alua-tg-target':
      alua(c);
      break;
  }
  if (c.out.length === 0) c.out.push({ class: 'benign', detail: benignDetail(change) });
  return c.out;
}

function add(c: Ctx, cls: Impact['class'], detail: string, sessions?: string[]): void {
  c.out.push(sessions ? { class: cls, detail, sessions } : { class: cls, detail });
}

/** An impact that needs an approval naming the address even with no session logged in (issue 9). */
function guarded(c: Ctx, cls: Impact['class'], detail: string): void {
  c.out.push({ class: cls, detail, needsApproval: true });
}

function session(c: Ctx, names: string[], detail: string): void {
  if (names.length > 0) add(c, 'session', detail, names);
}

const changed = (c: Ctx, field: string): boolean => c.change.fields.some((f) => f.field === field);

function device(c: Ctx, dev: string): void {
  const { action } = c.change;
  if (action === 'create' || action === 'noop') return;
  const luns = lunsOfDevice(c.observed, dev);
  const sessions = uniq(luns.flatMap((l) => sessionsOfLun(c.observed, l.address)));
  const exported = luns.length > 0;
  const fields = c.change.fields;
  if (action === 'delete' && exported) guarded(c, 'io-disruptive', `removes exported device ${dev} and its ${luns.length} LUN(s)`);
  if (action === 'delete' && !exported) add(c, 'io-disruptive', `removes device ${dev}`);
  if (action === 'replace') add(c, 'io-disruptive', `re-creates device ${dev} (${fields.filter((f) => !f.inPlace).map((f) => f.field).join(', ')})`);
  if (action === 'update' && changed(c, 'attributes.filename')) add(c, 'io-disruptive', `switches ${dev} to another backing store`);
  if (action === 'update' && fields.some((f) => f.field === 'attributes.active' && f.after === false)) add(c, 'io-disruptive', `closes the backing store of ${dev}`);
  // vdev_size_process_store (scst_vdisk.c) suspends all I/O and signals a capacity change
  if (action === 'update' && changed(c, 'attributes.size')) add(c, 'io-disruptive', `changes the capacity of ${dev} (I/O pauses; initiators see a capacity change)`);
  const rules = rulesFor('scst.device');
  const ids = fields.filter((f) => rules[f.field.replace('attributes.', '')]?.identity || f.field === 'attributes.blocksize');
  if (exported && ids.length > 0) add(c, 'identity', `changes ${ids.map((f) => f.field.replace('attributes.', '')).join(', ')} of exported device ${dev}`);
  if (action !== 'update' || changed(c, 'attributes.filename') || changed(c, 'attributes.active') || changed(c, 'attributes.size')) {
    session(c, sessions, `initiators using ${dev}`);
  }
}

function target(c: Ctx, drv: string, tgt: string): void {
  const { action } = c.change;
  if (action === 'delete' || action === 'replace') {
    add(c, 'io-disruptive', `${action === 'delete' ? 'deletes' : 're-creates'} target ${tgt}`);
    session(c, sessionsOf(c.observed, drv, tgt), `sessions of ${tgt} are closed`);
  }
  const rel = c.change.fields.find((f) => f.field === 'attributes.rel_tgt_id');
  if (rel && rel.before !== undefined && rel.before !== 0) add(c, 'identity', `changes rel_tgt_id of ${tgt} from ${String(rel.before)}`);
  if (changed(c, 'attributes.node_name') || changed(c, 'attributes.explicit_confirmation')) {
    add(c, 'io-disruptive', `resets the FC port of ${tgt}`);
    session(c, sessionsOf(c.observed, drv, tgt), `sessions of ${tgt} are reset`);
  }
}

function enabled(c: Ctx, drv: string, tgt?: string): void {
  const after = (c.change.after?.spec as { enabled?: boolean } | undefined)?.enabled;
  const disabling = c.change.action === 'delete' || (c.change.action === 'update' && after === false);
  if (!disabling) return;
  add(c, 'io-disruptive', tgt ? `disables target ${tgt}` : `disables driver ${drv}`);
  session(c, tgt ? sessionsOf(c.observed, drv, tgt) : sessionsOfDriver(c.observed, drv), 'live sessions are dropped');
}

function lun(c: Ctx): void {
  const { action, address } = c.change;
  if (action === 'create' || action === 'noop') return;
  const p = parseAddr(address);
  const where = `LUN ${p.lun} of ${p.group === undefined ? 'the default LUN set' : `group ${p.group}`}`;
  const b = c.change.before?.spec as { device?: string } | undefined;
  const a = c.change.after?.spec as { device?: string; read_only?: boolean } | undefined;
  const detail =
    action === 'delete'
      ? `removes ${where} (device ${b?.device})`
      : changed(c, 'device')
        ? `${where} now maps ${a?.device} instead of ${b?.device}`
        : `${where} becomes ${a?.read_only ? 'read-only' : 'read-write'}`;
  if (action === 'delete') guarded(c, 'io-disruptive', detail);
  else add(c, 'io-disruptive', detail);
  // says only what the io-disruptive line does not (a plan shows both, one under the other); the
  // blocked section shows this one alone, so it names the LUN again
  session(c, sessionsOfLun(c.observed, address), `${where} is in use by logged-in initiators`);
}

function initiator(c: Ctx, drv: string, tgt: string, name: string): void {
  const live = sessionsOf(c.observed, drv, tgt).filter((s) => s === name || s.startsWith(`${name}#`));
  const verb = c.change.action === 'create' ? 'moves to group' : c.change.action === 'delete' ? 'loses group' : 'moves between groups';
  session(c, live, `${name} is logged in and ${verb}`);
}

/**
 * An id that initiators could have seen: 0 is SCST's default for a target group's group_id and a
 * remote target's rel_tgt_id, and means none was assigned yet (valid ids are 1..65535); giving
 * one its first id (a create whose id write failed, re-run) changes nobody's view.
 */
const assigned = (v: unknown): boolean => v !== undefined && v !== 0 && v !== '0';

function alua(c: Ctx): void {
  const f = c.change.fields;
  if (c.change.kind === 'scst.alua-tg' && f.some((x) => x.field === 'attributes.group_id' && assigned(x.before))) {
    add(c, 'identity', 'changes the ALUA target port group id');
  }
  if (c.change.kind === 'scst.alua-tg-target' && f.some((x) => x.field === 'rel_tgt_id' && assigned(x.before))) {
    add(c, 'identity', 'changes the relative target port id of a remote target');
  }
  const st = f.find((x) => x.field === 'attributes.state');
  if (st && !['active', 'nonoptimized'].includes(String(st.after))) add(c, 'io-disruptive', `ALUA state becomes ${String(st.after)}`);
}

function benignDetail(change: Change): string {
  if (change.action === 'create') return 'adds configuration';
  if (change.action === 'update') return `changes ${change.fields.map((f) => f.field).join(', ')}`;
  return `${change.action} without live users`;
}

