/**
 * Per-handler rules for SCST devices (scst-sysfs.md §1.3.2): which typed fields each handler
 * takes, fileio option conflicts, blocksize and size, dev_disk names. perNode values are checked
 * as merged over the base.
 */
import { isPowerOfTwo, parseSize } from '../units.js';
import { at, objEntries } from './context.js';
import type { Obj, Rule, RuleCtx } from './context.js';
import type { PathSeg } from '../sources.js';

type H = 'vdisk_fileio' | 'vdisk_blockio' | 'vdisk_nullio' | 'vcdrom' | 'dev_disk';
const F: H = 'vdisk_fileio', B: H = 'vdisk_blockio', N: H = 'vdisk_nullio', C: H = 'vcdrom';
const VDISK: H[] = [F, B, N, C];

/** Handlers that accept each typed field (absent here: every handler). */
const FIELD_HANDLERS: Record<string, H[]> = {
  filename: [F, B, C], blocksize: [F, B, N], readOnly: [F, B, N], writeThrough: [F, B], nvCache: [F, B],
  oDirect: [F], async: [F], thinProvisioned: [F, B], rotational: [F, B, N], removable: [F, B, N],
  active: [F, B], bindAluaState: [F, B], clusterMode: [F, B, N], dummy: [N], size: [B, N],
  t10DevId: VDISK, t10VendId: VDISK, vendSpecificId: VDISK, prodId: VDISK, prodRevLvl: VDISK, usn: VDISK,
  naaId: VDISK, eui64Id: VDISK, scsiDeviceName: VDISK,
};
const HCTL = /^[0-9]+:[0-9]+:[0-9]+:[0-9]+$/;

/** Typed fields and the kernel attribute each one sets (a file must not set both). */
const SYSFS_NAME: Record<string, string> = {
  filename: 'filename', blocksize: 'blocksize', readOnly: 'read_only', nvCache: 'nv_cache', oDirect: 'o_direct',
  async: 'async', writeThrough: 'write_through', rotational: 'rotational', thinProvisioned: 'thin_provisioned',
  removable: 'removable', dummy: 'dummy', size: 'size', active: 'active', clusterMode: 'cluster_mode',
  bindAluaState: 'bind_alua_state', t10DevId: 't10_dev_id', t10VendId: 't10_vend_id', vendSpecificId: 'vend_specific_id',
  prodId: 'prod_id', prodRevLvl: 'prod_rev_lvl', usn: 'usn', naaId: 'naa_id', eui64Id: 'eui64_id',
  scsiDeviceName: 'scsi_device_name', threadsNum: 'threads_num', threadsPoolType: 'threads_pool_type',
};
/** Identifier length limits (scst-sysfs.md §8.3), for values written verbatim under attributes. */
const ID_LIMITS: Record<string, number> = {
  t10_dev_id: 25, usn: 20, prod_id: 16, t10_vend_id: 8, prod_rev_lvl: 4, vend_specific_id: 128, scsi_device_name: 256,
};

/** Verbatim attributes: no attribute that a typed field also sets, identifiers within limits. */
function checkAttributes(ctx: RuleCtx, path: PathSeg[], fields: Obj): void {
  const attrs = fields.attributes;
  if (!attrs || typeof attrs !== 'object' || Array.isArray(attrs)) return;
  for (const [name, value] of Object.entries(attrs)) {
    const typed = Object.keys(SYSFS_NAME).find((f) => SYSFS_NAME[f] === name);
    if (typed && typed in fields) {
      ctx.report({ path: [...path, 'attributes', name], code: 'DEVICE_OPTION_CONFLICT', message: `${name} is set both as ${typed} and under attributes`, hint: `keep \`${typed}:\` and remove attributes.${name}` });
    }
    const limit = ID_LIMITS[name];
    if (limit !== undefined && typeof value === 'string' && value.length > limit) {
      ctx.report({ path: [...path, 'attributes', name], at: 'value', code: 'SCHEMA_LENGTH', message: `${name} has ${value.length} characters; at most ${limit} allowed`, hint: `shorten it to ${limit} characters` });
    }
  }
}

export const deviceRules: Rule = (ctx) => {
  for (const [name, dev] of objEntries(at(ctx.data, 'scst', 'devices'))) {
    const handler = dev.handler as H;
    if (typeof handler !== 'string') continue;
    const base: PathSeg[] = ['scst', 'devices', name];
    checkNameForm(ctx, { path: base, name, handler });
    if ((handler === F || handler === B) && dev.filename === undefined) {
      ctx.report({ path: base, code: 'DEVICE_FILENAME_REQUIRED', message: `device '${name}' (${handler}) needs a filename`, hint: handler === F ? 'add `filename: /srv/sanform/NAME.img`' : 'add `filename: /dev/...` (a stable block-device path)' });
    }
    checkFields(ctx, { path: base, fields: dev, handler });
    checkAttributes(ctx, base, dev);
    checkValues(ctx, { path: base, dev, handler });
    for (const [node, over] of objEntries(dev.perNode)) {
      const path = [...base, 'perNode', node];
      checkFields(ctx, { path, fields: over, handler });
      checkAttributes(ctx, path, over);
      checkValues(ctx, { path, dev: { ...dev, ...over }, handler, own: over });
    }
  }
};

function checkNameForm(ctx: RuleCtx, { path, name, handler }: { path: PathSeg[]; name: string; handler: H }): void {
  if (handler === 'dev_disk' && !HCTL.test(name)) {
    ctx.report({ path, code: 'NAME_INVALID', message: `a dev_disk device is named by its SCSI address H:C:I:L, not '${name}'`, hint: 'use the key form 2:0:0:0 (see lsscsi)' });
  } else if (handler !== 'dev_disk' && HCTL.test(name)) {
    ctx.report({ path, code: 'NAME_INVALID', message: `'${name}' looks like a SCSI address; only dev_disk devices use that form`, hint: 'give the vdisk device a plain name such as vm_store' });
  }
}

function checkFields(ctx: RuleCtx, { path, fields, handler }: { path: PathSeg[]; fields: Obj; handler: H }): void {
  for (const field of Object.keys(fields)) {
    const allowed = FIELD_HANDLERS[field];
    if (allowed && !allowed.includes(handler)) {
      ctx.report({ path: [...path, field], code: 'DEVICE_OPTION_HANDLER', message: `${field} does not apply to ${handler} devices`, hint: `remove it; ${field} is for ${allowed.join(', ')}` });
    }
  }
}

/** Conflicts and value rules on the effective fields; `own` limits reports to overridden fields. */
function checkValues(ctx: RuleCtx, { path, dev, handler, own = dev }: { path: PathSeg[]; dev: Obj; handler: H; own?: Obj }): void {
  const mine = (...k: string[]): boolean => k.some((x) => x in own);
  if (handler === F && dev.readOnly === true && (dev.writeThrough === true || dev.nvCache === true) && mine('readOnly', 'writeThrough', 'nvCache')) {
    ctx.report({ path, code: 'DEVICE_OPTION_CONFLICT', message: 'a read-only vdisk_fileio device cannot also have writeThrough or nvCache (the kernel refuses with EINVAL)', hint: 'drop writeThrough/nvCache, or readOnly' });
  }
  if (handler === F && dev.oDirect === true && dev.async !== true && mine('oDirect', 'async')) {
    ctx.report({ path: [...path, 'oDirect'], code: 'DEVICE_OPTION_CONFLICT', message: 'oDirect needs async: true on vdisk_fileio (the kernel refuses with EINVAL)', hint: 'add `async: true`' });
  }
  const bs = typeof dev.blocksize === 'number' ? dev.blocksize : 512;
  if ('blocksize' in own && typeof own.blocksize === 'number' && (bs < 512 || !isPowerOfTwo(bs))) {
    ctx.report({ path: [...path, 'blocksize'], code: 'BLOCKSIZE_INVALID', at: 'value', message: `blocksize ${bs} must be a power of two, at least 512`, hint: 'use 512, 4096 (or 1024, 2048, 8192...)' });
  }
  if (mine('size', 'blocksize') && dev.size !== undefined && (typeof dev.size === 'number' || typeof dev.size === 'string')) {
    const bytes = parseSize(dev.size);
    if (bytes === undefined) {
      ctx.report({ path: [...path, 'size'], code: 'SIZE_INVALID', at: 'value', message: `size ${JSON.stringify(dev.size)} is not a whole number of bytes`, hint: 'write bytes, or a number with K, M, G or T (powers of 1024), e.g. 10G' });
    } else if (isPowerOfTwo(bs) && bs >= 512 && bytes % bs !== 0) {
      ctx.report({ path: [...path, 'size'], code: 'SIZE_NOT_MULTIPLE', at: 'value', message: `size ${bytes} bytes is not a multiple of the blocksize ${bs}`, hint: `use ${Math.ceil(bytes / bs) * bs} or ${Math.floor(bytes / bs) * bs}` });
    }
  }
}
