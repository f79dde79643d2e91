/**
 * What SCST can carry (scst-sysfs.md §2.1): every value under `scst:` ends up in a mgmt command
 * or an attribute write, and must read back equal, or the plan never empties. A mgmt command is
 * one line of lexems split on whitespace and `=`, its parameters split on `;` and newline; an
 * attribute shows its first line, trimmed; a write is at most one page. So:
 * - nowhere in the file: NUL, or text that is not valid Unicode (invalid UTF-8 decodes to U+FFFD);
 * - under `scst:`: no control character (newline included), no leading or trailing whitespace,
 *   at most 1024 bytes (a whole command fits a 4 KiB page), no `;` (it would start another
 *   parameter of add_device) outside a comment;
 * - values passed as one lexem (filename, initiators, CHAP users, portals): no whitespace or `=`;
 *   a name (a key under `scst:`) is never `.` or `..` (the schema's patterns keep whitespace, `=`
 *   and `/` out of names).
 */
import type { PathSeg } from '../sources.js';
import type { Rule, RuleCtx } from './context.js';

export const MAX_VALUE_BYTES = 1024;

/** Fields whose value is one lexem of a mgmt command (t10_dev_id is an add_device parameter). */
const LEXEM_FIELDS = new Set(['filename', 'dif_filename', 'difFilename', 'user', 'initiators', 'allowedPortals', 'handler', 't10DevId', 't10_dev_id']);
/** Fields of free text (attribute writes only). */
const TEXT_FIELDS = new Set(['comment']);

const show = (c: string): string => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
const CONTROL = /[\u0000-\u001f\u007f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Checks everywhere: NUL and broken text cannot go anywhere (argv, sysfs, files). */
function anywhere(ctx: RuleCtx, s: string, path: PathSeg[], at: 'key' | 'value'): boolean {
  const what = at === 'key' ? 'name' : 'value';
  if (s.includes('\0')) {
    ctx.report({ path, at, code: 'VALUE_NUL', message: `this ${what} holds a NUL byte, which no kernel write or command can carry`, hint: 'remove the \\0 (or \\x00) from the text' });
    return false;
  }
  if (s.includes('\uFFFD') || LONE_SURROGATE.test(s)) {
    ctx.report({ path, at, code: 'VALUE_ENCODING', message: `this ${what} is not valid UTF-8 text (an undecodable byte or a lone surrogate)`, hint: 'save the file as UTF-8 and write the text again' });
    return false;
  }
  return true;
}

function scstText(ctx: RuleCtx, s: string, o: { path: PathSeg[]; at: 'key' | 'value'; field: string }): void {
  const { path, at } = o;
  const what = at === 'key' ? 'name' : 'value';
  if (s === '' && at === 'value') {
    ctx.report({
      path, at, code: 'VALUE_EMPTY',
      message: 'this value is empty; SCST cannot set a value to nothing (an empty attribute write is ignored, an empty add_device parameter refused)',
      hint: "remove the key to leave the kernel's value as it is",
    });
    return;
  }
  const control = CONTROL.exec(s);
  if (control) {
    const nl = control[0] === '\n';
    ctx.report({
      path, at, code: 'VALUE_CONTROL',
      message: nl
        ? `this ${what} spans lines; SCST keeps one line of an attribute and splits commands at newlines`
        : `this ${what} holds the control character ${show(control[0])}, which SCST cannot store and read back`,
      hint: nl ? (s.endsWith('\n') && s.indexOf('\n') === s.length - 1 ? "write it on one line: '|-' or a quoted string instead of '|'" : 'write it on one line') : 'remove the control character',
    });
    return;
  }
  if (s !== s.trim()) {
    ctx.report({ path, at, code: 'VALUE_WHITESPACE', message: `this ${what} starts or ends with whitespace, which SCST trims when it reads the attribute back`, hint: `write ${JSON.stringify(s.trim())}` });
    return;
  }
  if (Buffer.byteLength(s) > MAX_VALUE_BYTES) {
    ctx.report({ path, at, code: 'VALUE_LENGTH', message: `this ${what} is ${Buffer.byteLength(s)} bytes; SCST takes at most ${MAX_VALUE_BYTES} per value (one 4 KiB page per command)`, hint: 'shorten it' });
    return;
  }
  // whitespace, '=' and '/' in a name: the schema's name patterns report those already
  const lexem = at === 'value' && LEXEM_FIELDS.has(o.field);
  if (lexem && /[\s=;]/.test(s)) {
    const c = /[\s=;]/.exec(s)![0];
    ctx.report({
      path, at, code: 'VALUE_LEXEM',
      message: `this ${what} holds ${c === ';' ? "';'" : c === '=' ? "'='" : 'whitespace'}; it is passed as one word of a mgmt command, where ${c === ';' ? "';' starts another parameter" : "whitespace and '=' separate words"}`,
      hint: `use a ${what} without whitespace, '=' or ';'`,
    });
    return;
  }
  if (!TEXT_FIELDS.has(o.field) && s.includes(';')) {
    ctx.report({ path, at, code: 'VALUE_LEXEM', message: `this ${what} holds ';', which separates the parameters of SCST's mgmt commands (it would set another parameter)`, hint: "remove the ';'" });
    return;
  }
  if (at === 'key' && (s === '.' || s === '..')) {
    ctx.report({ path, at, code: 'VALUE_LEXEM', message: `the name ${JSON.stringify(s)} would be a sysfs path of its own (a name is one directory entry)`, hint: "use a name without '/' that is not '.' or '..'" });
  }
}

/**
 * SCSI identity fields whose limit is in bytes (the schema's maxLength counts characters): a
 * longer UTF-8 value would be cut by the kernel and never read back equal.
 */
const BYTE_LIMITS: Record<string, number> = {
  t10DevId: 25, t10_dev_id: 25, t10VendId: 8, t10_vend_id: 8, vendSpecificId: 128, vend_specific_id: 128,
  prodId: 16, prod_id: 16, prodRevLvl: 4, prod_rev_lvl: 4, usn: 20, scsiDeviceName: 256, scsi_device_name: 256,
};

/**
 * `mgmt`: every SCST directory that holds named objects (handlers/H, targets/D, ini_groups,
 * initiators, device_groups, target_groups) and every driver directory has a `mgmt` file, so an
 * object or attribute of that name would collide with it (or, as an attribute, run a command).
 */
function reserved(ctx: RuleCtx, s: string, path: PathSeg[], at: 'key' | 'value'): boolean {
  if (s !== 'mgmt') return true;
  ctx.report({
    path, at, code: 'NAME_INVALID',
    message: "'mgmt' is the name of SCST's command file in that directory; an object or attribute of that name would collide with it",
    hint: 'choose another name',
  });
  return false;
}

/** Storage fields written as one word of a tool's command line or of a configuration file line (mdadm.conf, drbd.conf). */
const WORD_FIELDS = new Set(['devices', 'spares', 'backing', 'cache', 'disk', 'pvs', 'metaDisk', 'address', 'hostname', 'pool', 'policy']);

/** Values under `storage:` and `nodes:` reach tools' argv, configuration files and sysfs. */
function storageText(ctx: RuleCtx, s: string, o: { path: PathSeg[]; field: string; attribute: boolean }): void {
  if (o.attribute) return scstText(ctx, s, { path: o.path, at: 'value', field: 'comment' });
  const control = CONTROL.exec(s);
  if (control) {
    ctx.report({
      path: o.path, at: 'value', code: 'VALUE_CONTROL',
      message: `this value holds the control character ${show(control[0])}; it would end a line of a configuration file or break a command`,
      hint: 'write it on one line, without control characters',
    });
    return;
  }
  const bad = WORD_FIELDS.has(o.field) ? /[\s;{}"'#\\=]/.exec(s) : null;
  if (bad) {
    ctx.report({
      path: o.path, at: 'value', code: 'VALUE_LEXEM',
      message: `this value holds ${/\s/.test(bad[0]) ? 'whitespace' : `'${bad[0]}'`}; it is written as one word of a command line or of a drbd.conf/mdadm.conf line, where that would add more`,
      hint: "use a path or name without whitespace or any of ; { } \" ' # = \\",
    });
  }
}

type Zone = 'none' | 'scst' | 'storage';

/** Walks the document: keys and string values, with the field each value belongs to. */
function walk(ctx: RuleCtx, v: unknown, o: { path: PathSeg[]; zone: Zone; field: string; depth: number }): void {
  if (o.depth > 64) return; // the parser bounds depth; this only guards the recursion
  if (typeof v === 'string') {
    if (!anywhere(ctx, v, o.path, 'value')) return;
    if (o.zone === 'scst') {
      if (o.field === 'initiators' && !reserved(ctx, v, o.path, 'value')) return;
      scstText(ctx, v, { path: o.path, at: 'value', field: o.field });
      const limit = BYTE_LIMITS[o.field];
      // the schema's maxLength counts code points and reports the longer ones itself
      if (limit !== undefined && [...v].length <= limit && Buffer.byteLength(v) > limit) {
        ctx.report({ path: o.path, at: 'value', code: 'VALUE_LENGTH', message: `this value is ${Buffer.byteLength(v)} bytes in UTF-8; SCST keeps at most ${limit}`, hint: `shorten it to ${limit} bytes (non-ASCII characters take 2 to 4)` });
      }
    }
    if (o.zone === 'storage') storageText(ctx, v, { path: o.path, field: o.field, attribute: o.path[o.path.length - 2] === 'attributes' });
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => walk(ctx, x, { ...o, path: [...o.path, i], depth: o.depth + 1 }));
    return;
  }
  if (typeof v !== 'object' || v === null) return;
  for (const [k, x] of Object.entries(v)) {
    const path = [...o.path, k];
    const zone: Zone = o.path.length === 0 ? (k === 'scst' ? 'scst' : k === 'storage' || k === 'nodes' ? 'storage' : 'none') : o.zone;
    if (anywhere(ctx, k, path, 'key') && o.zone === 'scst' && reserved(ctx, k, path, 'key')) {
      scstText(ctx, k, { path, at: 'key', field: k });
      // a device name is at most 64 bytes to SCST (the schema counts characters)
      if (o.path.length === 2 && o.path[1] === 'devices' && [...k].length <= 64 && Buffer.byteLength(k) > 64) {
        ctx.report({ path, at: 'key', code: 'VALUE_LENGTH', message: `this device name is ${Buffer.byteLength(k)} bytes in UTF-8; SCST takes at most 64`, hint: 'shorten it (non-ASCII characters take 2 to 4 bytes)' });
      }
    }
    // the field a value belongs to is its key (list items keep their list's: `initiators`)
    walk(ctx, x, { path, zone, field: k, depth: o.depth + 1 });
  }
}

export const valueRules: Rule = (ctx) => walk(ctx, ctx.data, { path: [], zone: 'none', field: '', depth: 0 });
