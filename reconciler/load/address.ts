/**
 * The address grammar (DESIGN §3): which strings name a managed object, and of what kind. Used to
 * check approvals and drift-ignore rules; names are verbatim segments without `/` or whitespace.
 */

const DRIVERS = new Set(['iscsi', 'qla2x00t', 'ib_srpt', 'fcst', 'scst_local', 'copy_manager']);
const LUN = /^(0|[1-9][0-9]{0,4})$/;
const validLun = (s: string): boolean => LUN.test(s) && Number(s) <= 16383;

/** Kinds of the target sub-objects, by their first sub-segment. */
function targetKind(rest: string[]): string | undefined {
  if (rest.length === 0) return 'scst.target';
  const [k, a, b, c] = rest;
  const len = rest.length;
  if (k === 'enabled' && len === 1) return 'scst.target.enabled';
  if (k === 'outgoing-user' && len === 1) return 'scst.target.outgoing-user';
  if (k === 'lun' && len === 2 && validLun(a)) return 'scst.lun';
  if (k === 'group' && len === 2) return 'scst.group';
  if (k === 'group' && len === 4 && b === 'lun' && validLun(c)) return 'scst.lun';
  if (k === 'initiator' && len === 2) return 'scst.initiator';
  if (k === 'incoming-user' && len === 2) return 'scst.target.incoming-user';
  if (k === 'allowed-portal' && len === 2) return 'scst.allowed-portal';
  return undefined;
}

function scstKind(s: string[]): string | undefined {
  const [what, x, ...rest] = s;
  if (what === 'core') return s.length === 1 ? 'scst.core' : undefined;
  if (what === 'device') return s.length === 2 ? 'scst.device' : undefined;
  if (what === 'driver' && DRIVERS.has(x)) {
    if (rest.length === 0) return 'scst.driver';
    if (rest.length === 1 && rest[0] === 'enabled') return 'scst.driver.enabled';
    if (rest.length === 1 && rest[0] === 'outgoing-user') return 'scst.driver.outgoing-user';
    if (rest.length === 2 && rest[0] === 'incoming-user') return 'scst.driver.incoming-user';
    return undefined;
  }
  if (what === 'target' && DRIVERS.has(x) && rest.length >= 1) return targetKind(rest.slice(1));
  if (what === 'alua' && s.length >= 2) {
    if (rest.length === 0) return 'scst.alua.dg';
    if (rest.length === 2 && rest[0] === 'device') return 'scst.alua.device';
    if (rest.length === 2 && rest[0] === 'tg') return 'scst.alua.tg';
    if (rest.length === 4 && rest[0] === 'tg' && rest[2] === 'target') return 'scst.alua.target';
  }
  return undefined;
}

/** The kind an address names (`scst.device`, `scst.lun`, `lvm.lv`...), or undefined if malformed. */
export function addressKind(address: string): string | undefined {
  const s = address.split('/');
  if (s.some((seg) => seg === '' || /\s/.test(seg))) return undefined;
  const [layer, ...rest] = s;
  switch (layer) {
    case 'scst':
      return scstKind(rest);
    case 'md':
      return rest.length === 2 && rest[0] === 'array' ? 'md.array' : undefined;
    case 'lvm':
      if (rest.length === 2 && rest[0] === 'vg') return 'lvm.vg';
      return rest.length === 3 && rest[0] === 'lv' ? 'lvm.lv' : undefined;
    case 'drbd':
      return rest.length === 2 && rest[0] === 'resource' ? 'drbd.resource' : undefined;
    case 'bcache':
    case 'btier':
      return rest.length === 1 ? layer : undefined;
    default:
      return undefined;
  }
}

/** An address, or an address prefix ending in `/*` (drift-ignore rules). */
export function isAddressPattern(p: string): boolean {
  if (p === '*') return true;
  if (!p.endsWith('/*')) return addressKind(p) !== undefined;
  const prefix = p.slice(0, -2).split('/');
  return prefix.length > 0 && prefix.every((seg) => seg !== '' && !/\s/.test(seg)) && ['scst', 'md', 'lvm', 'drbd', 'bcache', 'btier'].includes(prefix[0]);
}
