/**
 * Per-attribute behaviour of SCST devices (§1.3.1 core files and §1.3.2 vdisk files): which
 * handlers have the file, its mode, default, when it prints `[key]`, and what a write does.
 * Letters: F vdisk_fileio, B vdisk_blockio, N vdisk_nullio, C vcdrom, P pass-through.
 */
import type { Ctx } from './node.js';
import type { DeviceState } from './state.js';
import { bytes, chomp, fail, parseBool01, parseSigned, parseUnsigned, strip } from './lexer.js';
import { openBackingStore } from './backing.js';
import { noteUsn } from './usn-index.js';

export type KeyRule = 'never' | 'nondefault' | 'always' | 'written' | 'nonempty';

export interface DevAttr {
  on: string;
  mode: number;
  def: (d: DeviceState, name: string) => string;
  key: KeyRule;
  write?: (c: Ctx, dev: { name: string; d: DeviceState }, v: string) => void;
  work?: boolean;
}

export const handlerLetter = (h: string | null): string =>
  ({ vdisk_fileio: 'F', vdisk_blockio: 'B', vdisk_nullio: 'N', vcdrom: 'C' })[h ?? ''] ?? 'P';

export const NULLIO_DEFAULT_SIZE = (5 * 1024 ** 4) / 2;

const c = (v: string) => () => v;
const attr = (d: DeviceState, n: string): string | undefined => d.attrs[n];

/** Current value of a device attribute (explicit or default). */
export function devValue(d: DeviceState, name: string): string {
  const a = DEV_ATTRS[name];
  return attr(d, name) ?? a.def(d, name);
}

function setBool(name: string, work = false): Pick<DevAttr, 'write' | 'work'> {
  return { work, write: (_c, { d }, v) => void (d.attrs[name] = String(parseBool01(v))) };
}

function setText(name: string, max: number, extra?: (c: Ctx, d: DeviceState) => void): Pick<DevAttr, 'write'> {
  return {
    write: (ctx, { d }, v) => {
      const t = strip(chomp(v));
      if (bytes(t) > max) fail('EINVAL', `${name} longer than ${max} bytes`);
      extra?.(ctx, d);
      d.attrs[name] = t;
      if (!d.written.includes(name)) d.written.push(name);
    },
  };
}

function setHexId(name: string, lengths: number[]): Pick<DevAttr, 'write'> {
  return {
    write: (_c, { d }, v) => {
      const t = chomp(v).trim().replace(/^0x/i, '');
      if (t === '') return void delete d.attrs[name];
      if (!/^[0-9a-fA-F]+$/.test(t) || !lengths.includes(t.length)) fail('EINVAL', `bad ${name}`);
      d.attrs[name] = t.toLowerCase();
    },
  };
}

const setSize = (unit: number): Pick<DevAttr, 'write' | 'work'> => ({
  work: true,
  write: (_c, { d }, v) => {
    const bytes = parseUnsigned(chomp(v)) * unit;
    if (bytes % Number(devValue(d, 'blocksize'))) fail('EINVAL', 'size not a multiple of blocksize');
    d.size = bytes;
  },
});

export const DEV_ATTRS: Record<string, DevAttr> = {
  type: { on: 'FBNCP', mode: 0o444, def: () => '', key: 'never' },
  max_tgt_dev_commands: {
    on: 'FBNCP', mode: 0o644, def: c('64'), key: 'nondefault',
    write: (_c, { d }, v) => void (d.attrs.max_tgt_dev_commands = String(parseUnsigned(chomp(v)))),
  },
  numa_node_id: {
    on: 'FBNCP', mode: 0o644, def: c('-1'), key: 'nondefault',
    write: (_c, { d }, v) => {
      const n = parseSigned(chomp(v));
      if (n < -1) fail('EINVAL', 'numa_node_id < -1');
      d.attrs.numa_node_id = String(n);
    },
  },
  block: {
    on: 'FBNCP', mode: 0o644, def: c('0 0'), key: 'never',
    write: (_c, { d }, v) => {
      const t = chomp(v).trim();
      if (t === '0') d.attrs.block = '0 0';
      else if (t === '1') d.attrs.block = '1 0';
      else if (/^1\s+1(\s|$)/.test(t)) d.attrs.block = '1 0';
      else fail('EINVAL', 'bad block command');
    },
  },
  pr_file_name: {
    on: 'FBNCP', mode: 0o644, def: c(''), key: 'written',
    write: (_c, { d }, v) => {
      if (Object.values(d.exports).some((p) => !p.startsWith('targets/copy_manager/'))) fail('EBUSY', 'device exported');
      d.attrs.pr_file_name = chomp(v).trim();
      if (!d.written.includes('pr_file_name')) d.written.push('pr_file_name');
    },
  },
  threads_num: {
    on: 'FBNC', mode: 0o644, def: (d) => (/F|C/.test(handlerLetter(d.handler)) ? '8' : '1'), key: 'nondefault', work: true,
    write: (_c, { d }, v) => void (d.attrs.threads_num = String(parseUnsigned(chomp(v)))),
  },
  threads_pool_type: {
    on: 'FBNC', mode: 0o644, def: (d) => (devValue(d, 'threads_num') === '0' ? 'Async' : 'per_initiator'), key: 'nondefault', work: true,
    write: (_c, { d }, v) => {
      const t = chomp(v).trim().toLowerCase();
      if (t && 'per_initiator'.startsWith(t)) d.attrs.threads_pool_type = 'per_initiator';
      else if (t && 'shared'.startsWith(t)) d.attrs.threads_pool_type = 'shared';
      else fail('EINVAL', 'bad threads_pool_type');
    },
  },
  filename: {
    on: 'FBC', mode: 0o644, def: c(''), key: 'nonempty', work: true,
    write: (ctx, { name, d }, v) => {
      const p = chomp(v).trim();
      if (d.handler === 'vcdrom') {
        if (p === '') return void ((d.attrs.filename = ''), (d.size = 0));
        if (!p.startsWith('/')) fail('EINVAL', 'file name must be absolute');
        d.size = openBackingStore(ctx, { device: name, handler: 'vcdrom', path: p });
        d.attrs.filename = p;
        return;
      }
      if (devValue(d, 'active') !== '0') fail('EINVAL', 'filename can only be changed while active=0');
      if (!p.startsWith('/')) fail('EINVAL', 'file name must be absolute');
      d.attrs.filename = p;
    },
  },
  blocksize: { on: 'FBN', mode: 0o444, def: c('512'), key: 'nondefault' },
  read_only: { on: 'FBN', mode: 0o444, def: c('0'), key: 'nondefault' },
  write_through: { on: 'FB', mode: 0o444, def: c('0'), key: 'nondefault' },
  nv_cache: { on: 'FB', mode: 0o444, def: c('0'), key: 'nondefault' },
  o_direct: { on: 'F', mode: 0o444, def: c('0'), key: 'nondefault' },
  async: { on: 'F', mode: 0o644, def: c('0'), key: 'nondefault', ...setBool('async') },
  thin_provisioned: { on: 'FB', mode: 0o444, def: c('0'), key: 'written' },
  tst: { on: 'FBNC', mode: 0o444, def: c('1'), key: 'nondefault' },
  rotational: { on: 'FBN', mode: 0o444, def: c('1'), key: 'nondefault' },
  removable: { on: 'FBN', mode: 0o444, def: c('0'), key: 'nondefault' },
  active: {
    on: 'FB', mode: 0o644, def: c('1'), key: 'nondefault', work: true,
    write: (ctx, { name, d }, v) => {
      const on = parseBool01(chomp(v));
      if (on === 1 && devValue(d, 'active') === '0') {
        d.size = openBackingStore(ctx, { device: name, handler: d.handler!, path: devValue(d, 'filename') });
      }
      if (on === 0) d.size = 0;
      d.attrs.active = String(on);
    },
  },
  bind_alua_state: { on: 'FB', mode: 0o644, def: (d) => (d.handler === 'vdisk_blockio' ? '1' : '0'), key: 'nondefault', ...setBool('bind_alua_state') },
  cluster_mode: { on: 'FBN', mode: 0o644, def: c('0'), key: 'nondefault', ...setBool('cluster_mode', true) },
  expl_alua: { on: 'FB', mode: 0o644, def: c('0'), key: 'nondefault', ...setBool('expl_alua') },
  opt_trans_len: {
    on: 'FBN', mode: 0o644, def: c('524288'), key: 'written',
    write: (_c, { d }, v) => {
      const n = parseUnsigned(chomp(v));
      if (n % Number(devValue(d, 'blocksize'))) fail('EINVAL', 'opt_trans_len not a multiple of blocksize');
      d.attrs.opt_trans_len = String(n);
      if (!d.written.includes('opt_trans_len')) d.written.push('opt_trans_len');
    },
  },
  size: { on: 'FBNC', mode: 0o444, def: (d) => String(d.size), key: 'always' },
  size_mb: { on: 'FBNC', mode: 0o444, def: (d) => String(Math.floor(d.size / 1024 ** 2)), key: 'never' },
  resync_size: {
    on: 'FB', mode: 0o200, def: c(''), key: 'never', work: true,
    write: (ctx, { name, d }) => {
      if (devValue(d, 'active') === '1') d.size = openBackingStore(ctx, { device: name, handler: d.handler!, path: devValue(d, 'filename') });
    },
  },
  sync: { on: 'FB', mode: 0o200, def: c(''), key: 'never', work: true, write: () => undefined },
  dummy: { on: 'N', mode: 0o444, def: c('0'), key: 'nondefault' },
  read_zero: { on: 'N', mode: 0o644, def: c('0'), key: 'nondefault', ...setBool('read_zero') },
  t10_vend_id: { on: 'FBNC', mode: 0o644, def: (d) => (d.handler === 'vdisk_blockio' ? 'SCST_BIO' : 'SCST_FIO'), key: 'written', ...setText('t10_vend_id', 8) },
  vend_specific_id: { on: 'FBNC', mode: 0o644, def: c(''), key: 'written', ...setText('vend_specific_id', 128) },
  prod_id: { on: 'FBNC', mode: 0o644, def: c(''), key: 'written', ...setText('prod_id', 16) },
  prod_rev_lvl: { on: 'FBNC', mode: 0o644, def: c('3110'), key: 'written', ...setText('prod_rev_lvl', 4) },
  scsi_device_name: { on: 'FBNC', mode: 0o644, def: c(''), key: 'written', ...setText('scsi_device_name', 256) },
  t10_dev_id: {
    on: 'FBNC', mode: 0o644, def: c(''), key: 'written',
    ...setText('t10_dev_id', 25, (_c, d) => {
      if (devValue(d, 'cluster_mode') === '1') fail('EPERM', 't10_dev_id cannot change while cluster_mode=1');
    }),
  },
  usn: {
    on: 'FBNC', mode: 0o644, def: c(''), key: 'written',
    write: (ctx, dev, v) => {
      setText('usn', 20).write!(ctx, dev, v);
      noteUsn(ctx.st, dev.name, dev.d.attrs.usn);
    },
  },
  naa_id: { on: 'FBNC', mode: 0o644, def: c(''), key: 'nonempty', ...setHexId('naa_id', [16, 32]) },
  eui64_id: { on: 'FBNC', mode: 0o644, def: c(''), key: 'nonempty', ...setHexId('eui64_id', [16, 24, 32]) },
  inq_vend_specific: {
    on: 'FBNC', mode: 0o644, def: c(''), key: 'nonempty',
    write: (_c, { d }, v) => void (d.attrs.inq_vend_specific = chomp(v)),
  },
  lb_per_pb_exp: { on: 'FB', mode: 0o644, def: c('1'), key: 'nondefault', ...setBool('lb_per_pb_exp') },
};

/** Attributes B and N make writable (size and size_mb). */
export const sizeWriters = { size: setSize(1), size_mb: setSize(1024 ** 2) };
