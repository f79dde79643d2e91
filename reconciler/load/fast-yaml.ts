/**
 * A fast reader for the plain subset of YAML that large desired-state files are written in: block
 * mappings with plain keys, plain and simple quoted scalars, and one-line flow collections
 * (`{ a: 1, b: x }`, `[x, y]`). The `yaml` library reads the reference configuration (416 KiB) in
 * about 0.75 s of CPU and 50 MiB; this reads it in a few ms. It gives exactly what parse.ts's walk
 * of yaml's document gives (the value, the position of every key and value, no diagnostics); any
 * text that uses something else (block sequences, anchors, tags, block scalars, multi-line
 * scalars or flow collections, escapes, duplicate keys, empty values, tabs, document markers,
 * nesting deeper than 64) is
 * left to the `yaml` library: `fastParse` then returns undefined, having built nothing that is
 * kept. fast-yaml.test.ts compares both readers on every YAML file of the repository and on
 * mutations of them.
 */
import { PathIndex, ROOT } from './sources.js';
import type { Pos } from './sources.js';

/** Thrown inside the reader when the text leaves the subset; never escapes fastParse. */
class NotPlain extends Error {}
const bail = (): never => {
  throw new NotPlain();
};

/** Characters that cannot start a plain scalar here (`-`, `?` and `:` are handled apart). */
const NOT_PLAIN_START = new Set(['[', ']', '{', '}', ',', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);

const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const OCT_RE = /^0o[0-7]+$/;
const INT_RE = /^[-+]?[0-9]+$/;
const HEX_RE = /^0x[0-9a-fA-F]+$/;
const SPECIAL_FLOAT_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const EXP_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar under YAML 1.2's core schema, as the `yaml` library resolves it. */
export function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  // most scalars are names: nothing below can match one that starts with a letter other than these
  if (!(c <= 0x39 || c === 0x7e || c === 0x6e || c === 0x4e || c === 0x74 || c === 0x54 || c === 0x66 || c === 0x46)) return s;
  if (NULL_RE.test(s)) return null;
  if (BOOL_RE.test(s)) return s[0] === 't' || s[0] === 'T';
  if (OCT_RE.test(s)) return parseInt(s.substring(2), 8);
  if (INT_RE.test(s)) return parseInt(s, 10);
  if (HEX_RE.test(s)) return parseInt(s.substring(2), 16);
  if (SPECIAL_FLOAT_RE.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity;
  if (EXP_RE.test(s) || FLOAT_RE.test(s)) return parseFloat(s);
  return s;
}

interface Open {
  indent: number;
  obj: Record<string, unknown>;
  id: number;
  seen: Set<string>;
}

/** The value, index and (empty) diagnostics of parse.ts's walk, or undefined outside the subset. */
export function fastParse(file: string, text: string): { value: unknown; index: PathIndex } | undefined {
  // tabs, CR, other control characters, a byte-order mark: the yaml library's business
  if (/[\u0000-\u0009\u000b-\u001f\u007f\ufeff]/.test(text)) return undefined;
  try {
    return read(file, text);
  } catch (e) {
    if (e instanceof NotPlain) return undefined;
    throw e;
  }
}

function read(file: string, text: string): { value: unknown; index: PathIndex } {
  const index = new PathIndex();
  const stack: Open[] = [];
  let root: Record<string, unknown> | undefined;
  /** a key written with nothing after it: its value is the mapping on the next lines. */
  let pending: { top: Open; name: string; key: Pos; indent: number } | undefined;
  let lineNo = 0;
  let start = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    const line = text.slice(start, end);
    start = end + 1;
    lineNo++;
    let ind = 0;
    while (ind < line.length && line.charCodeAt(ind) === 0x20) ind++;
    if (ind === line.length || line[ind] === '#') continue; // blank or comment line
    if (ind === 0 && (line.startsWith('---') || line.startsWith('...') || line[0] === '%')) bail();
    let top: Open;
    if (pending) {
      if (ind <= pending.indent) bail(); // an empty value (null): left to the yaml library
      const obj: Record<string, unknown> = {};
      pending.top.obj[pending.name] = obj;
      const id = index.addChild(pending.top.id, pending.name, { file, key: pending.key, value: { line: lineNo, col: ind + 1 } });
      top = { indent: ind, obj, id, seen: new Set() };
      stack.push(top);
      if (stack.length > MAX_DEPTH) bail();
      pending = undefined;
    } else if (!root) {
      root = {};
      index.add([], { file, value: { line: lineNo, col: ind + 1 } });
      top = { indent: ind, obj: root, id: ROOT, seen: new Set() };
      stack.push(top);
    } else {
      while (stack.length > 0 && stack[stack.length - 1]!.indent > ind) stack.pop();
      top = stack[stack.length - 1] ?? bail();
      if (top.indent !== ind) bail();
    }
    // the key: a plain scalar up to the first `: ` (or `:` at the end of the line)
    let j = ind;
    for (;;) {
      j = line.indexOf(':', j);
      if (j < 0) bail();
      if (j + 1 === line.length || line.charCodeAt(j + 1) === 0x20) break;
      j++;
    }
    const keyText = line.slice(ind, j);
    if (!plainKey(keyText)) bail();
    const name = String(resolvePlain(keyText));
    if (name === '__proto__' || top.seen.has(name)) bail();
    top.seen.add(name);
    const key = { line: lineNo, col: ind + 1 };
    let k = j + 1;
    while (k < line.length && line.charCodeAt(k) === 0x20) k++;
    if (k === line.length || line[k] === '#') {
      pending = { top, name, key, indent: ind };
      continue;
    }
    const value = { line: lineNo, col: k + 1 };
    const c = line[k]!;
    if (c === '{' || c === '[') {
      const id = index.addChild(top.id, name, { file, key, value });
      const r = flowNode(line, k, lineNo, file, index, id);
      if (!restIsComment(line, r.end)) bail();
      top.obj[name] = r.value;
      continue;
    }
    let v: unknown;
    if (c === "'") {
      const close = singleQuoted(line, k);
      v = line.slice(k + 1, close).replaceAll("''", "'");
      if (!restIsComment(line, close + 1)) bail();
    } else if (c === '"') {
      const close = line.indexOf('"', k + 1);
      if (close < 0 || line.slice(k + 1, close).includes('\\')) bail();
      v = line.slice(k + 1, close);
      if (!restIsComment(line, close + 1)) bail();
    } else {
      let s = line.slice(k);
      const hash = s.indexOf(' #');
      if (hash >= 0) s = s.slice(0, hash);
      s = s.trimEnd();
      if (!plainValue(s)) bail();
      v = resolvePlain(s);
    }
    index.addChild(top.id, name, { file, key, value });
    top.obj[name] = v;
  }
  if (pending || !root) bail();
  return { value: root, index };
}

/** A key this reader takes: a plain scalar without spaces, quotes or flow indicators. */
function plainKey(s: string): boolean {
  // an implicit key is at most 1024 characters (the yaml library reports longer ones)
  if (s === '' || s.length > 1000 || s === '<<' || NOT_PLAIN_START.has(s[0]!) || s[0] === '?' || s[0] === ':') return false;
  if (s[0] === '-' && (s.length === 1 || s[1] === ' ')) return false;
  return !/[\s,[\]{}#"']/.test(s);
}

/** A one-line plain value in block context (comment already cut, trimmed). */
function plainValue(s: string): boolean {
  if (s === '' || NOT_PLAIN_START.has(s[0]!) || s[0] === '?' || s[0] === ':') return false;
  if (s[0] === '-' && (s.length === 1 || s[1] === ' ')) return false;
  return !s.includes(': ') && !s.endsWith(':');
}

/** Index of the quote that closes a single-quoted scalar opened at `k` (`''` is a quote inside). */
function singleQuoted(line: string, k: number): number {
  let i = k + 1;
  for (;;) {
    const q = line.indexOf("'", i);
    if (q < 0) bail();
    if (line[q + 1] === "'") {
      i = q + 2;
      continue;
    }
    return q;
  }
}

/** Only spaces, or spaces then a comment, from `i` to the end of the line. */
function restIsComment(line: string, i: number): boolean {
  let k = i;
  while (k < line.length && line.charCodeAt(k) === 0x20) k++;
  return k === line.length || (line[k] === '#' && k > i);
}

/** Nesting this reader takes, block and flow together; deeper is left to the yaml library. */
const MAX_DEPTH = 64;

const FLOW_END = new Set([',', '[', ']', '{', '}']);

/** A one-line flow collection or plain scalar at `k`; `id` is the index id of its path. */
function flowNode(line: string, k: number, lineNo: number, file: string, index: PathIndex, id: number, depth = 0): { value: unknown; end: number } {
  const c = line[k];
  // deep nesting (a hostile file) is the yaml library's, which bounds it with a located error
  if ((c === '{' || c === '[') && depth >= MAX_DEPTH) bail();
  if (c === '{') {
    const out: Record<string, unknown> = {};
    let i = skip(line, k + 1);
    if (line[i] === '}') return { value: out, end: i + 1 };
    for (;;) {
      const ks = i;
      const kEnd = flowPlainEnd(line, ks);
      const keyText = line.slice(ks, kEnd).trimEnd();
      if (line[kEnd] !== ':' || !plainKey(keyText)) bail();
      const name = String(resolvePlain(keyText));
      if (name === '__proto__' || Object.prototype.hasOwnProperty.call(out, name)) bail();
      const vs = skip(line, kEnd + 1);
      if (vs === kEnd + 1 && line[vs] !== undefined && !FLOW_END.has(line[vs]!)) bail();
      const child = index.addChild(id, name, { file, key: { line: lineNo, col: ks + 1 }, value: { line: lineNo, col: vs + 1 } });
      const r = flowNode(line, vs, lineNo, file, index, child, depth + 1);
      out[name] = r.value;
      i = skip(line, r.end);
      if (line[i] === ',') {
        i = skip(line, i + 1);
        if (line[i] === '}') return { value: out, end: i + 1 };
        continue;
      }
      if (line[i] === '}') return { value: out, end: i + 1 };
      return bail();
    }
  }
  if (c === '[') {
    const out: unknown[] = [];
    let i = skip(line, k + 1);
    if (line[i] === ']') return { value: out, end: i + 1 };
    for (;;) {
      const child = index.addChild(id, out.length, { file, value: { line: lineNo, col: i + 1 } });
      const r = flowNode(line, i, lineNo, file, index, child, depth + 1);
      out.push(r.value);
      i = skip(line, r.end);
      if (line[i] === ',') {
        i = skip(line, i + 1);
        if (line[i] === ']') return { value: out, end: i + 1 };
        continue;
      }
      if (line[i] === ']') return { value: out, end: i + 1 };
      return bail();
    }
  }
  const e = flowPlainEnd(line, k);
  const s = line.slice(k, e).trimEnd();
  if (s === '' || NOT_PLAIN_START.has(s[0]!) || s[0] === '?' || s[0] === ':' || (s[0] === '-' && (s.length === 1 || s[1] === ' '))) bail();
  if (line[e] === ':' || line[e] === '#' || line[e] === undefined) bail(); // a pair in a sequence, a comment, an unclosed line
  return { value: resolvePlain(s), end: e };
}

/** End of a plain scalar in flow context: a flow indicator, `: `/`:,`..., ` #`, or the line's end. */
function flowPlainEnd(line: string, k: number): number {
  let i = k;
  for (; i < line.length; i++) {
    const ch = line[i]!;
    if (FLOW_END.has(ch)) return i;
    if (ch === ':') {
      const next = line[i + 1];
      if (next === undefined || next === ' ' || FLOW_END.has(next)) return i;
    }
    if (ch === '#' && i > k && line[i - 1] === ' ') return i;
  }
  return i;
}

const skip = (line: string, i: number): number => {
  let k = i;
  while (k < line.length && line.charCodeAt(k) === 0x20) k++;
  return k;
};
