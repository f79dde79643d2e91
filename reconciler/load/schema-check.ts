/**
 * JSON Schema validation of the merged document (the bundled schema, compiled once on first use,
 * or precompiled in the build: schema-validator.ts),
 * with every ajv error mapped to a coded diagnostic at the YAML key or value it is about.
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { bundleSchema } from '../../schema/bundle.js';
import type { SchemaObject } from '../../schema/documents.js';
import { compileValidator } from './schema-validator.js';
import { formatPath } from './sources.js';
import type { PathIndex, PathSeg } from './sources.js';
import { suggestion } from './suggest.js';
import type { Diagnostic, DiagnosticCode } from './types.js';

let compiled: { validate: ValidateFunction; bundle: SchemaObject } | undefined;

function validator(): { validate: ValidateFunction; bundle: SchemaObject } {
  if (!compiled) {
    const bundle = bundleSchema();
    compiled = { validate: compileValidator(bundle), bundle };
  }
  return compiled;
}

/** Validates `value` against the composed schema; returns one diagnostic per distinct problem. */
export function checkSchema(value: Record<string, unknown>, index: PathIndex): Diagnostic[] {
  const { validate, bundle } = validator();
  if (validate(value)) return [];
  const errors = pruneAlternatives(validate.errors ?? []);
  const out = new Map<string, Diagnostic>();
  for (const e of errors) {
    const m = describe(e, value, bundle);
    if (!m) continue;
    const pos = index.locate(m.path, m.at);
    const d: Diagnostic = { ...pos, path: formatPath(m.path), code: m.code, severity: 'error', message: m.message, hint: m.hint };
    out.set(`${d.path}|${d.code}|${d.message}`, d);
  }
  return [...out.values()];
}

interface Described {
  code: DiagnosticCode;
  path: PathSeg[];
  at: 'key' | 'value';
  message: string;
  hint?: string;
}

/** instancePath -> segments, list indices as numbers (looked up in the data). */
function segments(instancePath: string, data: unknown): PathSeg[] {
  const out: PathSeg[] = [];
  let cur: unknown = data;
  for (const raw of instancePath.split('/').slice(1)) {
    const seg = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    const isIndex = Array.isArray(cur);
    out.push(isIndex ? Number(seg) : seg);
    cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
  }
  return out;
}

/**
 * Among alternatives (anyOf), keep the errors of the branches whose type fits the value; when no
 * branch fits, keep one type error. Discriminator errors that repeat an enum/required are dropped.
 */
function pruneAlternatives(errors: ErrorObject[]): ErrorObject[] {
  const anyOfAt = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  let out = errors.filter((e) => e.keyword !== 'anyOf');
  for (const p of anyOfAt) {
    const inside = out.filter((e) => e.instancePath === p || e.instancePath.startsWith(`${p}/`));
    const fits = inside.some((e) => !(e.keyword === 'type' && e.instancePath === p) && !e.propertyName);
    const typeErrs = inside.filter((e) => e.keyword === 'type' && e.instancePath === p);
    out = out.filter((e) => !typeErrs.includes(e));
    if (!fits && typeErrs.length > 0) {
      const types = typeErrs.map((e) => String(e.params.type));
      out.push({ ...typeErrs[0], params: { type: [...new Set(types)].join(' or ') } });
    }
  }
  const others = out.filter((e) => e.keyword !== 'discriminator');
  const covered = (p: string): boolean => others.some((o) => o.instancePath === p || o.instancePath.startsWith(`${p}/`));
  return out.filter((e) => e.keyword !== 'discriminator' || !covered(e.instancePath));
}

const describeValue = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`;

/** Maps one ajv error to a code, a path, and words that say how to fix it. */
function describe(e: ErrorObject, data: unknown, bundle: SchemaObject): Described | undefined {
  const path = segments(e.instancePath, data);
  const ps = (e.parentSchema ?? {}) as SchemaObject;
  const about = descriptionAt(path, bundle) ?? (typeof ps.description === 'string' ? ps.description : undefined);
  const name = formatPath(path) || 'the document';
  if (e.propertyName !== undefined && e.keyword !== 'propertyNames') {
    const key = [...path, e.propertyName];
    const what = e.keyword === 'maxLength' || e.keyword === 'minLength' ? 'SCHEMA_LENGTH' : 'SCHEMA_PATTERN';
    return { code: what, path: key, at: 'key', message: `'${e.propertyName}' is not a valid key under ${name} (${e.message})`, hint: (typeof ps.description === 'string' ? ps.description : about) ?? 'rename the key' };
  }
  switch (e.keyword) {
    case 'propertyNames':
      return undefined;
    case 'additionalProperties':
    case 'unevaluatedProperties':
    case 'required':
    case 'discriminator':
      return describeKeyError({ e, path, name, schema: ps, bundle });
    case 'type': {
      const yaml11 = e.params.type === 'boolean' && typeof e.data === 'string' && /^(yes|no|on|off|y|n)$/i.test(e.data);
      return { code: 'SCHEMA_TYPE', path, at: 'value', message: `${name} must be ${e.params.type}, not ${describeValue(e.data)}`, hint: yaml11 ? 'write true or false (YAML 1.2 reads yes/no/on/off as text)' : about };
    }
    case 'enum':
    case 'const': {
      const allowed = (e.params.allowedValues ?? [e.params.allowedValue]) as unknown[];
      return { code: 'SCHEMA_ENUM', path, at: 'value', message: `${name} is ${describeValue(e.data)}; it must be one of: ${allowed.map(String).join(', ')}`, hint: typeof e.data === 'string' ? suggestion(e.data, allowed.map(String)) : about };
    }
    case 'pattern':
    case 'format':
      return { code: 'SCHEMA_PATTERN', path, at: 'value', message: `${name} (${describeValue(e.data)}) is not in the expected form`, hint: about };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { code: 'SCHEMA_RANGE', path, at: 'value', message: `${name} ${e.message}`, hint: about };
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
      return { code: 'SCHEMA_LENGTH', path, at: 'value', message: lengthMessage(e, name), hint: about };
    default:
      return { code: 'SCHEMA_INVALID', path, at: 'value', message: `${name} ${e.message}`, hint: about };
  }
}

/** `scst.x has 3 entries; at most 2 allowed` for the length keywords. */
function lengthMessage(e: ErrorObject, name: string): string {
  const limit = Number(e.params.limit);
  const d = e.data;
  const [count, unit] =
    typeof d === 'string' ? [d.length, 'characters'] : Array.isArray(d) ? [d.length, 'items'] : [Object.keys((d as object) ?? {}).length, 'entries'];
  const bound = e.keyword.startsWith('max') ? `at most ${limit} allowed` : `at least ${limit} needed`;
  return `${name} has ${count} ${unit}; ${bound}`;
}

/** Errors about keys: unknown ones (with a did-you-mean), missing ones (with an example). */
function describeKeyError(o: { e: ErrorObject; path: PathSeg[]; name: string; schema: SchemaObject; bundle: SchemaObject }): Described {
  const { e, path, name, schema: ps, bundle } = o;
  if (e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties') {
    const key = String(e.params.additionalProperty ?? e.params.unevaluatedProperty);
    if (key === 'value' && path[0] === 'secrets' && path.length === 2) {
      return { code: 'SECRET_VALUE_INLINE', path: [...path, key], at: 'key', message: `secret '${path[1]}' has an inline value; secrets are never written in the file`, hint: 'use `file: /path/to/secret` or `env: VARIABLE` instead of `value:`' };
    }
    return { code: 'SCHEMA_UNKNOWN_KEY', path: [...path, key], at: 'key', message: `unknown key '${key}' in ${name}`, hint: suggestion(key, knownKeys(ps, bundle)) };
  }
  const missing = String(e.params.missingProperty ?? e.params.tag);
  if (e.keyword === 'discriminator' && e.params.error === 'mapping') {
    return { code: 'SCHEMA_ENUM', path: [...path, missing], at: 'value', message: `${name}.${missing} is not a known kind`, hint: 'use one of: log, command, webhook, metrics' };
  }
  return { code: 'SCHEMA_REQUIRED', path, at: 'key', message: `${name} needs the key '${missing}'`, hint: fieldHint(ps, missing, bundle) };
}

/** Resolves a local `#/...` pointer in the bundle. */
function resolve(ref: string, bundle: SchemaObject): SchemaObject | undefined {
  let cur: unknown = bundle;
  for (const seg of ref.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
  }
  return cur && typeof cur === 'object' ? (cur as SchemaObject) : undefined;
}

/** Follows `$ref` (own keywords win). */
function deref(schema: SchemaObject, bundle: SchemaObject): SchemaObject {
  let cur = schema;
  for (let i = 0; i < 4 && typeof cur.$ref === 'string'; i++) {
    const { $ref, ...own } = cur;
    const base = resolve($ref as string, bundle) ?? {};
    const properties = { ...(base.properties as object | undefined), ...(own.properties as object | undefined) };
    cur = { ...base, ...own, properties };
  }
  return cur;
}

/** The schema that describes the value at `path` (first matching branch of an anyOf). */
function schemaAt(path: readonly PathSeg[], bundle: SchemaObject): SchemaObject | undefined {
  let cur: SchemaObject | undefined = bundle;
  for (const seg of path) {
    if (!cur) return undefined;
    const s = deref(cur, bundle);
    const options = [s, ...((s.anyOf ?? s.oneOf ?? []) as SchemaObject[]).map((b) => deref(b, bundle))];
    let next: SchemaObject | undefined;
    for (const o of options) {
      const props = o.properties as Record<string, SchemaObject> | undefined;
      next = typeof seg === 'number' ? (o.items as SchemaObject | undefined) : props?.[seg] ?? (typeof o.additionalProperties === 'object' ? (o.additionalProperties as SchemaObject) : undefined);
      if (next) break;
    }
    cur = next;
  }
  return cur ? deref(cur, bundle) : undefined;
}

function descriptionAt(path: readonly PathSeg[], bundle: SchemaObject): string | undefined {
  const d = schemaAt(path, bundle)?.description;
  return typeof d === 'string' ? d : undefined;
}

/** Property names a schema object allows, following `$ref`. */
function knownKeys(schema: SchemaObject, bundle: SchemaObject, depth = 0): string[] {
  const own = Object.keys((schema.properties as object | undefined) ?? {});
  const ref = typeof schema.$ref === 'string' && depth < 4 ? resolve(schema.$ref, bundle) : undefined;
  return [...new Set([...own, ...(ref ? knownKeys(ref, bundle, depth + 1) : [])])];
}

function fieldHint(schema: SchemaObject, field: string, bundle: SchemaObject): string {
  const prop = (schema.properties as Record<string, SchemaObject> | undefined)?.[field];
  const target = prop && typeof prop.$ref === 'string' ? { ...resolve(prop.$ref, bundle), ...prop } : prop;
  const ex = Array.isArray(target?.examples) ? ` e.g. ${field}: ${JSON.stringify(target.examples[0])}` : '';
  return `add '${field}:'${target?.description ? ` (${String(target.description)})` : ''}${ex}`;
}
