/**
 * Errors the loader's callers throw, one class per condition. The loader itself never throws: it
 * returns diagnostics (each with a stable code, see `DiagnosticCode`). Code that needs a model or
 * nothing calls `requireModel`, which raises the class matching why there is no model.
 */
import type { SanformModel } from '../../schema/model.js';
import { SanformError } from '../core/errors.js';
import { formatDiagnostic } from './format.js';
import type { Diagnostic, LoadResult, SourceIndex } from './types.js';

/** The configuration path does not exist. */
export class ConfigNotFoundError extends SanformError<'FILE_NOT_FOUND', { path: string }> {
  constructor(path: string, cause?: unknown) {
    super('FILE_NOT_FOUND', `desired state not found: ${path}`, { data: { path }, hint: 'pass the desired-state file or directory with -c', cause });
  }
}

/** A configuration file exists but cannot be read. */
export class ConfigUnreadableError extends SanformError<'FILE_UNREADABLE', { path: string }> {
  constructor(path: string, cause?: unknown) {
    super('FILE_UNREADABLE', `cannot read ${path}`, { data: { path }, hint: 'check the permissions of the file', cause });
  }
}

/** A configuration directory holds no *.yaml / *.yml file. */
export class NoConfigFilesError extends SanformError<'NO_CONFIG_FILES', { path: string }> {
  constructor(path: string) {
    super('NO_CONFIG_FILES', `no *.yaml or *.yml files under ${path || 'the input'}`, { data: { path }, hint: 'put sanform.yaml (or several .yaml files) there' });
  }
}

/** The desired state did not validate; `data.diagnostics` holds every finding. */
export class ConfigInvalidError extends SanformError<'CONFIG_INVALID', { files: string[]; diagnostics: Diagnostic[] }> {
  constructor(files: string[], diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    super('CONFIG_INVALID', `desired state is invalid (${errors.length} error${errors.length === 1 ? '' : 's'}):\n${errors.map(formatDiagnostic).join('\n')}`, {
      data: { files, diagnostics },
      hint: 'run `sanform validate` for every finding with its position',
    });
  }
}

export type LoadError = ConfigNotFoundError | ConfigUnreadableError | NoConfigFilesError | ConfigInvalidError;

/** The error that explains a failed load: a file-level condition if that is all there is. */
export function loadError(r: Extract<LoadResult, { ok: false }>): LoadError {
  const [first] = r.diagnostics;
  if (r.diagnostics.length === 1 && first.line === 0) {
    if (first.code === 'FILE_NOT_FOUND') return new ConfigNotFoundError(first.file);
    if (first.code === 'FILE_UNREADABLE') return new ConfigUnreadableError(first.file);
    if (first.code === 'NO_CONFIG_FILES') return new NoConfigFilesError(first.file);
  }
  return new ConfigInvalidError(r.files, r.diagnostics);
}

/** The model of a successful load; throws the matching LoadError otherwise. */
export function requireModel(r: LoadResult): { model: SanformModel; sources: SourceIndex; warnings: Diagnostic[] } {
  if (!r.ok) throw loadError(r);
  return { model: r.model, sources: r.sources, warnings: r.diagnostics };
}
