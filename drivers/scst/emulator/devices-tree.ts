/**
 * The `handlers/` and `devices/` directories built from the state (§1.2, §1.3).
 */
import type { Ctx, FileNode, Node } from './node.js';
import { dirOf, each, keyed, link, ro } from './node.js';
import type { DeviceState, HandlerName } from './state.js';
import { fail, nextLexem } from './lexer.js';
import { DEV_ATTRS, NULLIO_DEFAULT_SIZE, devValue, handlerLetter, sizeWriters } from './vdisk-attrs.js';
import type { DevAttr } from './vdisk-attrs.js';
import { ESOS_MODULES, registered } from '../../sim/modules.js';
import { CREATE_PARAMS, PASS_HANDLERS, TYPE_TEXT, VDISK_HANDLERS, addVdisk, delVdisk, passMgmt } from './devices.js';

/** the modules loaded on this machine: the profile's list, or every one (an ESOS appliance). */
export const loadedModules = (st: { hardware: { modules?: readonly string[] } }): readonly string[] => st.hardware.modules ?? ESOS_MODULES;

export const HANDLERS: HandlerName[] = [...VDISK_HANDLERS, ...(Object.keys(PASS_HANDLERS) as HandlerName[])];

function handlerHelp(h: HandlerName): string {
  if (PASS_HANDLERS[h] !== undefined)
    return 'Usage: echo "add_device H:C:I:L" >mgmt\n       echo "del_device H:C:I:L" >mgmt\n';
  return [
    'Usage: echo "add_device device_name [parameters]" >mgmt',
    '       echo "del_device device_name" >mgmt',
    '',
    "where parameters are one or more param_name=value pairs separated by ';'",
    '',
    `The following parameters available: ${CREATE_PARAMS[h]}`,
    '',
  ].join('\n');
}

/** `handlers/H/mgmt` store. */
export function handlerMgmt(ctx: Ctx, h: HandlerName, cmd: string): void {
  const [verbRaw, rest] = nextLexem(cmd);
  const verb = verbRaw.toLowerCase();
  if (verb !== 'add_device' && verb !== 'del_device') fail('EINVAL', `unknown command ${verbRaw}`);
  if (PASS_HANDLERS[h] !== undefined) return passMgmt(ctx.st, h, verb, rest);
  if (verb === 'add_device') addVdisk(ctx, h, rest);
  else delVdisk(ctx.st, h, rest);
}

const handlerType = (h: HandlerName): number => (h === 'vcdrom' || h === 'dev_cdrom' ? 5 : 0);

export function handlersDir(ctx: Ctx, mgmt: (h: HandlerName, cmd: string) => void): Node {
  // a handler's directory exists while its module is loaded (scst_devt_sysfs_create, called when
  // scst_vdisk.c, scst_disk.c or scst_cdrom.c registers it from its module_init)
  const mods = loadedModules(ctx.st);
  const rec = Object.fromEntries(HANDLERS.filter((h) => registered(mods, h, 'handler')).map((h) => [h, h]));
  return dirOf(
    {},
    each(rec, (h) => {
      const name = h as HandlerName;
      const devs = {
        list: () => Object.keys(ctx.st.devices).filter((dn) => ctx.st.devices[dn].handler === name),
        get: (dn: string) =>
          Object.prototype.hasOwnProperty.call(ctx.st.devices, dn) && ctx.st.devices[dn].handler === name ? link(`../../devices/${dn}`) : undefined,
      };
      return dirOf(
        {
          mgmt: () => ({ type: 'file', mode: 0o644, read: () => handlerHelp(name), write: (c) => mgmt(name, c), work: true }),
          type: () => ro(() => `${TYPE_TEXT[handlerType(name)]}\n`),
        },
        devs,
      );
    }),
  );
}

/** Printed form of one device attribute (§1.3, §3). */
function showAttr(d: DeviceState, name: string, a: DevAttr): string {
  if (name === 'type') return `${TYPE_TEXT[d.scsiType] ?? `${d.scsiType} - unknown`}\n`;
  const v = devValue(d, name);
  if (name === 'filename') return v ? `${v}\n[key]\n\n` : '\n';
  if (name === 'size') return keyed(v, !(d.handler === 'vdisk_nullio' && d.size === NULLIO_DEFAULT_SIZE));
  switch (a.key) {
    case 'never':
      return `${v}\n`;
    case 'always':
      return keyed(v, true);
    case 'nonempty':
      return keyed(v, v !== '');
    case 'written':
      return keyed(v, d.written.includes(name));
    default:
      return keyed(v, v !== a.def(d, name));
  }
}

function attrNode(ctx: Ctx, dev: string, d: DeviceState, name: string, a: DevAttr): FileNode {
  const letter = handlerLetter(d.handler);
  const sw = (letter === 'B' || letter === 'N') && (name === 'size' || name === 'size_mb') ? sizeWriters[name] : undefined;
  const write = sw?.write ?? a.write;
  const mode = sw ? 0o644 : a.mode;
  return {
    type: 'file',
    mode,
    read: mode === 0o200 ? undefined : () => showAttr(d, name, a),
    write: write ? (v) => write(ctx, { name: dev, d }, v) : undefined,
    work: sw ? true : a.work,
  };
}

export function devicesDir(ctx: Ctx): Node {
  return dirOf(
    {},
    each(ctx.st.devices, (name, d) => {
      const letter = handlerLetter(d.handler);
      const fixed: Record<string, (() => Node) | undefined> = {
        exported: () => dirOf({}, each(d.exports, (_k, p) => link(`../../../${p}`))),
        handler: d.handler ? () => link(`../../handlers/${d.handler}`) : undefined,
      };
      for (const [an, a] of Object.entries(DEV_ATTRS)) if (a.on.includes(letter)) fixed[an] = () => attrNode(ctx, name, d, an, a);
      return dirOf(fixed);
    }),
  );
}
