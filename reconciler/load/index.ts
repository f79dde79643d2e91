/** The loader's public API: desired-state YAML -> typed model, or every located diagnostic. */
export { loadDesired, loadDesiredTexts } from './load.js';
export { providedDevices } from './provided.js';
export { formatPath } from './sources.js';
export type { Diagnostic, DiagnosticCode, LoadResult, Severity, SourceIndex, SourceText } from './types.js';
