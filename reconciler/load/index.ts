/** The loader's public API: desired-state YAML -> typed model, or every located diagnostic. */
export { loadDesired, loadDesiredTexts } from './load.js';
export { providedDevices } from './provided.js';
export { formatPath } from './sources.js';
export { formatDiagnostic, summarizeDiagnostics } from './format.js';
export { addressKind, isAddressPattern } from './address.js';
export { ConfigInvalidError, ConfigNotFoundError, ConfigUnreadableError, NoConfigFilesError, loadError, requireModel } from './errors.js';
export type { LoadError } from './errors.js';
export type { Diagnostic, DiagnosticCode, LoadResult, Severity, SourceIndex, SourceText } from './types.js';
