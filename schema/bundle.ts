/**
 * Composes the per-section schema documents into ONE self-contained JSON Schema: each section
 * becomes `$defs/<section>` and every `$ref` is rewritten to point inside the bundle. This is what
 * `sanform schema` prints and what editors without multi-file support should use.
 */
import { ROOT_SCHEMA, schemaDocuments } from './documents.js';
import type { SchemaObject } from './documents.js';

const sectionName = (path: string): string => path.replace(/^sections\//, '').replace(/\.schema\.json$/, '');

/** Rewrites one `$ref` written in the document at `from` (a path under schema/). */
function rewriteRef(ref: string, from: string): string {
  const [target, pointer = ''] = ref.split('#') as [string, string?];
  if (target === '') return from === ROOT_SCHEMA ? ref : `#/$defs/${sectionName(from)}${pointer}`;
  const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
  return `#/$defs/${sectionName(dir + target)}${pointer}`;
}

function rewrite(node: unknown, from: string): unknown {
  if (Array.isArray(node)) return node.map((n) => rewrite(n, from));
  if (typeof node !== 'object' || node === null) return node;
  const out: SchemaObject = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === '$ref' && typeof v === 'string' ? rewriteRef(v, from) : rewrite(v, from);
  }
  return out;
}

/** The composed schema as one document (a fresh object on every call). */
export function bundleSchema(): SchemaObject {
  const root = rewrite(schemaDocuments.get(ROOT_SCHEMA), ROOT_SCHEMA) as SchemaObject;
  const defs: SchemaObject = {};
  for (const [path, doc] of schemaDocuments) {
    if (path === ROOT_SCHEMA) continue;
    const { $schema: _drop, ...rest } = rewrite(doc, path) as SchemaObject;
    void _drop;
    defs[sectionName(path)] = rest;
  }
  return { ...root, $defs: defs };
}
