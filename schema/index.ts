/** The desired-state schema: JSON Schema documents, their bundle, and the TypeScript mirror. */
export { ROOT_SCHEMA, schemaDocuments } from './documents.js';
export type { SchemaObject } from './documents.js';
export { bundleSchema } from './bundle.js';
export type * from './model.js';
