/**
 * The JSON Schema documents of sanform.yaml, one per top-level section plus shared definitions.
 * Keys are the documents' paths relative to this folder, which is how their `$ref`s name them.
 */
import alerts from './sections/alerts.schema.json' with { type: 'json' };
import common from './sections/common.schema.json' with { type: 'json' };
import nodes from './sections/nodes.schema.json' with { type: 'json' };
import policy from './sections/policy.schema.json' with { type: 'json' };
import scst from './sections/scst.schema.json' with { type: 'json' };
import secrets from './sections/secrets.schema.json' with { type: 'json' };
import storage from './sections/storage.schema.json' with { type: 'json' };
import root from './sanform.schema.json' with { type: 'json' };

export type SchemaObject = Record<string, unknown>;

/** The root document's path. */
export const ROOT_SCHEMA = 'sanform.schema.json';

/** Every schema document by its path relative to schema/ (the root first). */
export const schemaDocuments: ReadonlyMap<string, SchemaObject> = new Map<string, SchemaObject>([
  [ROOT_SCHEMA, root],
  ['sections/common.schema.json', common],
  ['sections/nodes.schema.json', nodes],
  ['sections/secrets.schema.json', secrets],
  ['sections/storage.schema.json', storage],
  ['sections/scst.schema.json', scst],
  ['sections/policy.schema.json', policy],
  ['sections/alerts.schema.json', alerts],
]);
