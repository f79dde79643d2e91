/**
 * One YAML file -> plain value, a path index of positions, and its text-level diagnostics
 * (syntax errors, duplicate keys). Never throws.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node as YamlNode, Pair } from 'yaml';
import { fastParse } from './fast-yaml.js';
import { PathIndex, ROOT, formatPath } from './sources.js';
import type { Pos } from './sources.js';
import type { Diagnostic } from './types.js';

export interface ParsedFile {
  file: string;
  /** the document as plain data (null for an empty file); undefined when the text is unusable. */
  value: unknown;
  index: PathIndex;
  diagnostics: Diagnostic[];
}

/** Parses `text`; syntax errors make `value` undefined, duplicate keys are reported and kept last. */
export function parseFile(file: string, text: string): ParsedFile {
  // the plain subset large files are written in is read without building yaml's document
  const fast = fastParse(file, text);
  if (fast) return { file, value: fast.value, index: fast.index, diagnostics: [] };
  return parseWithYaml(file, text);
}

/** parseFile through the `yaml` library: every form of YAML, syntax errors, duplicate keys. */
export function parseWithYaml(file: string, text: string): ParsedFile {
  const lc = new LineCounter();
  const at = (offset: number): Pos => {
    const p = lc.linePos(Math.max(0, offset));
    return { line: p.line, col: p.col };
  };
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
  const index = new PathIndex();
  const diagnostics: Diagnostic[] = doc.errors.map((e) => ({
    file,
    ...at(e.pos[0]),
    path: '',
    code: 'YAML_SYNTAX' as const,
    severity: 'error' as const,
    message: `YAML syntax: ${e.message.split('\n')[0]}`,
    hint: 'fix the YAML text at this position (indentation, brackets, quotes)',
  }));
  // a tag yaml cannot resolve (`!custom`) would be read as if absent: the author meant something else
  const unknownTags = doc.warnings.some((x) => x.code === 'TAG_RESOLVE_FAILED');
  for (const w of doc.warnings.filter((x) => x.code === 'TAG_RESOLVE_FAILED')) {
    diagnostics.push({
      file, ...at(w.pos[0]), path: '', code: 'YAML_SYNTAX', severity: 'error',
      message: `YAML: ${w.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')} (sanform knows only the standard tags)`,
      hint: 'remove the tag; write the value as plain YAML',
    });
  }
  const rootPos = doc.contents?.range ? at(doc.contents.range[0]) : { line: 1, col: 1 };
  index.add([], { file, value: rootPos });
  const ctx: WalkCtx = { file, at, index, diagnostics, flags: { unusual: false } };
  const built = walk(ctx, doc.contents as YamlNode | null, ROOT);
  if (doc.errors.length > 0 || unknownTags) return { file, value: undefined, index, diagnostics };
  if (!ctx.flags.unusual) return { file, value: built, index, diagnostics };
  try {
    // aliases and other rare forms: let yaml resolve them (it also bounds alias expansion)
    return { file, value: doc.toJS({ maxAliasCount: 1000 }), index, diagnostics };
  } catch (e) {
    diagnostics.push({
      file, ...rootPos, path: '', code: 'YAML_SYNTAX', severity: 'error',
      message: `YAML could not be converted to data: ${(e as Error).message}`,
      hint: 'check anchors and aliases (*name) in this file',
    });
    return { file, value: undefined, index, diagnostics };
  }
}

interface WalkCtx {
  file: string;
  at: (offset: number) => Pos;
  index: PathIndex;
  diagnostics: Diagnostic[];
  /** `unusual`: the document holds an alias or a form the walk does not build (yaml's toJS is used). */
  flags: { unusual: boolean };
}

/**
 * Records positions of every key and value, reports keys written twice in one mapping (the first
 * one is kept), and builds the plain value in the same pass. `id` is the index id of `node`'s path.
 */
function walk(ctx: WalkCtx, node: YamlNode | null, id: number): unknown {
  const { file, at, index } = ctx;
  if (!node) return null;
  if (isScalar(node)) return node.value;
  if (isAlias(node)) {
    ctx.flags.unusual = true;
    return undefined;
  }
  if (isSeq(node)) {
    return node.items.map((item, i) => {
      if (isPair(item)) ctx.flags.unusual = true;
      const n = item as YamlNode | null;
      const value = n?.range ? at(n.range[0]) : index.locateId(id, 'value');
      return walk(ctx, n, index.addChild(id, i, { file, value }));
    });
  }
  if (!isMap(node)) {
    ctx.flags.unusual = true;
    return undefined;
  }
  const out: Record<string, unknown> = {};
  const seen = new Map<string, Pos>();
  for (const pair of node.items as Pair<YamlNode | null, YamlNode | null>[]) {
    const name = keyName(pair.key);
    const key = pair.key?.range ? at(pair.key.range[0]) : index.locateId(id, 'value');
    const value = pair.value?.range ? at(pair.value.range[0]) : key;
    const first = seen.get(name);
    if (first) {
      ctx.diagnostics.push({
        file, ...key, path: formatPath([...index.pathOf(id), name]), code: 'DUPLICATE_KEY', severity: 'error',
        message: `key '${name}' is written twice in the same mapping (first at line ${first.line})`,
        hint: `keep one '${name}:' entry and merge their contents`,
      });
      continue;
    }
    seen.set(name, key);
    const child = index.addChild(id, name, { file, key, value });
    if (!isScalar(pair.key) && pair.key !== null) ctx.flags.unusual = true;
    const v = walk(ctx, pair.value, child);
    if (name === '__proto__') Object.defineProperty(out, name, { value: v, enumerable: true, writable: true, configurable: true });
    else out[name] = v;
  }
  return out;
}

/** The string a key becomes in the plain object (`toJS` stringifies non-string keys the same way). */
function keyName(key: YamlNode | null): string {
  if (key === null || key === undefined) return '';
  if (isScalar(key)) return String(key.value);
  return String(key.toJSON());
}
